package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.node.testing.NodeProcess;
import dev.distribank.node.testing.TransferLoad;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.PeerState;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk is a local fault: two real bank processes (alpha, beta) on loopback run cross-bank transfers both ways;
 * alpha's data directory runs out of room under that load; alpha stops taking work — health NOT_SERVING with the
 * reason on its health port, every call UNAVAILABLE {@code DISK_FULL} — and stays up, trying again. Stopped (SIGTERM)
 * and started again on the full disk, as a supervisor would, it comes up saying the same rather than crash-looping.
 * Once there is room it recovers from its store by itself, in the same process. Every transfer acknowledged before is
 * still there (each replays as itself), the balances are exactly what the committed transfers make them, and the
 * audit agrees.
 *
 * <p>Two ways to run out of room. As root, a real full filesystem: a 16 MiB tmpfs as alpha's data directory, filled
 * to the last byte by a ballast file while the transfers run (ENOSPC); room returns when it is deleted. Without root,
 * a real write failure all the same: alpha's file-size limit (RLIMIT_FSIZE, set on the running process with
 * {@code prlimit}, and at the restart's launch) is 4 KiB, so RocksDB's next append to its write-ahead log fails with
 * EFBIG; room returns when the limit is lifted. That proves the same stop, stand-in, restart, recovery and accounting,
 * but not ENOSPC's own path: RocksDB's NoSpace status, the free-space figures, RocksDB giving back what it had
 * preallocated, and a filesystem on which every file fails at once.
 */
class FullDiskTest {
  private static final String ADMIN_TOKEN = "full-disk-admin-token";
  private static final long OPENING_CENTS = 10_000_000;
  @TempDir Path dir;

  /** How alpha's data directory runs out of room, and gets it back. */
  private interface Room {
    Path alphaDataDir();

    /** Leaves the running alpha no room, while the transfers run. */
    void takeAway(NodeProcess alpha) throws IOException, InterruptedException;

    /** What runs alpha's JVM when it starts again on the full disk (a launcher, then JVM options). */
    List<List<String>> restart() throws IOException;

    void giveBack(NodeProcess alpha) throws IOException, InterruptedException;

    /** The ErrorInfo {@code limit} alpha must report. */
    String limit();

    /** What alpha's health detail must say. */
    String says();
  }

  @Test
  void tmpfsFillsUnderLoad_alphaStopsSayingDiskFull_losesNothing_andRecoversWhenSpaceReturns() throws Exception {
    Path mount = dir.resolve("alpha-disk");
    Files.createDirectories(mount);
    String refused = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
    if (refused != null) {
      System.out.println("FullDiskTest: the tmpfs variant did not run, it needs root (mount -t tmpfs: " + refused
          + "); the RLIMIT_FSIZE variant runs without it");
    }
    Assumptions.assumeTrue(refused == null, "no tmpfs without root: " + refused);
    Path ballast = mount.resolve("ballast");
    try {
      fillAndRecover(new Room() {
        public Path alphaDataDir() {
          return mount.resolve("alpha");
        }

        public void takeAway(NodeProcess alpha) throws IOException {
          // To the last byte: write until the filesystem itself says no.
          try (var out = Files.newOutputStream(ballast, java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND)) {
            byte[] chunk = new byte[64 << 10];
            while (true) {
              out.write(chunk);
            }
          } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
              throw full;
            }
          }
        }

        public List<List<String>> restart() throws IOException {
          // The stopped node gave back the 4 MiB RocksDB had preallocated for its MANIFEST: the disk is full again.
          takeAway(null);
          return List.of(List.of(), List.of());
        }

        public void giveBack(NodeProcess alpha) throws IOException {
          Files.delete(ballast);
        }

        public String limit() {
          return "no_space";
        }

        public String says() {
          return "is full: ";
        }
      });
    } finally {
      if (run("umount", mount.toString()) != null) {
        run("umount", "-l", mount.toString());
      }
    }
  }

  @Test
  void fileSizeLimitHitUnderLoad_alphaStopsSayingSo_losesNothing_andRecoversWhenLifted() throws Exception {
    fillAndRecover(new Room() {
      public Path alphaDataDir() {
        return dir.resolve("alpha");
      }

      public void takeAway(NodeProcess alpha) throws IOException, InterruptedException {
        // The write-ahead log is past 4 KiB already: its next append fails (EFBIG), and so does any open of the store.
        prlimit(alpha, "4096:unlimited");
      }

      public List<List<String>> restart() throws IOException {
        // Under 4 KiB from the start, RocksDB could not unpack its native library into /tmp: it is unpacked here.
        Path nativeDir = Files.createDirectories(dir.resolve("native"));
        try (var so = org.rocksdb.RocksDB.class.getResourceAsStream("/librocksdbjni-linux64.so")) {
          Files.copy(so, nativeDir.resolve("librocksdbjni-linux64.so"));
        }
        return List.of(List.of("prlimit", "--fsize=4096:unlimited"),
            List.of("-Djava.library.path=" + nativeDir, "-XX:-UsePerfData"));
      }

      public void giveBack(NodeProcess alpha) throws IOException, InterruptedException {
        prlimit(alpha, "unlimited:unlimited");
      }

      public String limit() {
        return "file_size_limit";
      }

      public String says() {
        return "file-size limit";
      }
    });
  }

  private void fillAndRecover(Room room) throws Exception {
    int[] ports = new int[6];
    for (int i = 0; i < ports.length; i++) {
      ports[i] = LocalCluster.freePort();
    }
    Path pki = dir.resolve("pki");
    dev.distribank.pki.Consortium.init(pki, List.of("alpha", "beta"), Map.of(), Duration.ofDays(1));
    String peers = "alpha=127.0.0.1:" + ports[1] + ",beta=127.0.0.1:" + ports[4];
    List<String> alphaArgs = args("alpha", ports[0], ports[2], room.alphaDataDir(), peers, pki);
    var alphas = new ArrayList<NodeProcess>();
    try (var beta = NodeProcess.start(args("beta", ports[3], ports[5], dir.resolve("beta"), peers, pki),
            dir.resolve("beta.log"));
        var atAlpha = new Clients(ports[0], pki.resolve("ca.pem"));
        var atBeta = new Clients(ports[3], pki.resolve("ca.pem"))) {
      alphas.add(NodeProcess.start(alphaArgs, dir.resolve("alpha.log")));
      awaitHealth(ports[2], ServingStatus.SERVING, alphas.get(0), 60);
      awaitHealth(ports[5], ServingStatus.SERVING, null, 60);
      awaitAlphaAt(atAlpha, PeerState.PEER_STATE_UP);
      awaitAlphaAt(atBeta, PeerState.PEER_STATE_UP);
      var ana = side("alpha", atAlpha);
      var bia = side("beta", atBeta);
      var load = new TransferLoad(ana, bia);
      load.start(3);
      Thread.sleep(2_000);
      assertTrue(load.count(TransferLoad.FirstAnswer.COMMITTED) > 0, "transfers commit before the disk fills");

      long filled = System.nanoTime();
      room.takeAway(alphas.get(0));
      String detail = awaitHealth(ports[2], ServingStatus.NOT_SERVING, alphas.get(0), 30);
      long stoppedMillis = (System.nanoTime() - filled) / 1_000_000;
      assertSays(room, detail);
      var customer = expectDiskFull(atAlpha, () -> atAlpha.as(ana.token()).getBalance(GetBalanceRequest.newBuilder()
          .setAccount(ana.account()).build()));
      assertFalse(customer.getStatus().getDescription().contains(room.alphaDataDir().toString()),
          "a customer is not told the store's paths: " + customer.getStatus().getDescription());
      expectOperatorDetail(room, atAlpha);
      assertTrue(alphas.get(0).awaitOutput("still no room after 1 tries", 20), "alpha tries again, and says why");
      awaitAlphaAt(atBeta, PeerState.PEER_STATE_DOWN);
      load.stop();
      assertTrue(alphas.get(0).isAlive(), "a full disk does not end the process");

      // Stopped and started again on the full disk, as a supervisor restarts it: it comes up saying so.
      assertStopped(alphas.get(0).stop());
      List<List<String>> restart = room.restart();
      alphas.add(NodeProcess.start(restart.get(0), restart.get(1), alphaArgs, dir.resolve("alpha-again.log")));
      NodeProcess alpha = alphas.get(1);
      assertSays(room, awaitHealth(ports[2], ServingStatus.NOT_SERVING, alpha, 60));
      expectOperatorDetail(room, atAlpha);
      assertTrue(alpha.awaitOutput("still no room after 1 tries", 20), "the restarted alpha tries again too");

      long freed = System.nanoTime();
      room.giveBack(alpha);
      awaitHealth(ports[2], ServingStatus.SERVING, alpha, 60);
      long recoveredMillis = (System.nanoTime() - freed) / 1_000_000;
      assertTrue(alpha.output().contains("its store opens again; recovering from it"), alpha.output());
      awaitAlphaAt(atBeta, PeerState.PEER_STATE_UP);
      awaitAlphaAt(atAlpha, PeerState.PEER_STATE_UP);

      Map<String, Long> moved = load.settle(120);
      assertEquals(OPENING_CENTS + moved.getOrDefault(ana.account(), 0L), balance(ana), "alpha's account");
      assertEquals(OPENING_CENTS + moved.getOrDefault(bia.account(), 0L), balance(bia), "beta's account");
      var audit = atBeta.admin(ADMIN_TOKEN).audit(AuditRequest.getDefaultInstance());
      assertTrue(audit.getBalanced() && audit.getBilateralAgreed(), audit.toString());
      System.out.printf("full disk (%s): %d transfers acknowledged, %d refused, %d unknown until retried; alpha "
              + "NOT_SERVING %d ms after the disk filled; restarted on the full disk, NOT_SERVING again; SERVING %d "
              + "ms after room returned; every acknowledged one replayed, balances exact, audit balanced%n",
          room.limit(), load.count(TransferLoad.FirstAnswer.COMMITTED), load.count(TransferLoad.FirstAnswer.REFUSED),
          load.count(TransferLoad.FirstAnswer.UNKNOWN), stoppedMillis, recoveredMillis);
      alphas.forEach(a -> a.output().lines().filter(l -> l.contains("bank loop stopped")
              || l.contains("not taking work") || l.contains("opens again") || l.contains("cannot start"))
          .map(l -> "  alpha: " + l.substring(0, Math.min(l.length(), 300))).forEach(System.out::println));
      assertStopped(alpha.stop());
    } catch (Throwable t) {
      alphas.forEach(a -> System.out.println("FullDiskTest failed; alpha printed:\n" + a.output()));
      throw t;
    } finally {
      for (NodeProcess a : alphas) {
        a.close();
      }
    }
  }

  /** SIGTERM stopped it: 143 (128 + 15) once the shutdown hook ran, or 0 had main returned first. */
  private static void assertStopped(int exit) {
    assertTrue(exit == 143 || exit == 0, "SIGTERM stops alpha: exit " + exit);
  }

  private static void assertSays(Room room, String detail) {
    assertTrue(detail.startsWith("DISK_FULL: bank alpha is not taking work: "), detail);
    assertTrue(detail.contains(room.says()) && detail.contains(room.alphaDataDir().toString()), detail);
  }

  /** The operator (the admin token) is told where and which limit, in the ErrorInfo's metadata. */
  private static void expectOperatorDetail(Room room, Clients atAlpha) throws InterruptedException {
    var operator = expectDiskFull(atAlpha, () -> atAlpha.admin(ADMIN_TOKEN)
        .getClusterStatus(GetClusterStatusRequest.getDefaultInstance()));
    ErrorInfo info = detail(operator, ErrorInfo.class);
    assertEquals(room.alphaDataDir().toString(), info.getMetadataOrThrow("data_dir"));
    assertEquals(room.limit(), info.getMetadataOrThrow("limit"));
    assertTrue(operator.getStatus().getDescription().contains(room.says()), operator.toString());
  }

  private static List<String> args(String bank, int port, int healthPort, Path data, String peers, Path pki) {
    return List.of("--bank", bank, "--listen", "127.0.0.1:" + port, "--data-dir", data.toString(),
        "--admin-token", ADMIN_TOKEN, "--pki-dir", pki.toString(), "--peers", peers,
        "--health-listen", "127.0.0.1:" + healthPort, "--disk-full-retry-seconds", "1");
  }

  private static TransferLoad.Side side(String bank, Clients clients) {
    String token = clients.signUp("ana-" + bank, Cpfs.cpf(bank.equals("alpha") ? 11 : 12));
    String account = clients.as(token).openAccount(OpenAccountRequest.newBuilder()
        .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
    clients.as(token).deposit(DepositRequest.newBuilder().setAccount(account).setAmountCents(OPENING_CENTS).build());
    return new TransferLoad.Side(bank, clients, token, account);
  }

  private static long balance(TransferLoad.Side side) {
    return side.clients().as(side.token()).getBalance(GetBalanceRequest.newBuilder().setAccount(side.account())
        .build()).getBalanceCents();
  }

  /**
   * Waits until the plaintext health port answers {@code wanted} (NOT_SERVING: with a reason); returns the reason
   * trailer that came with it ("" if none).
   */
  private static String awaitHealth(int port, ServingStatus wanted, NodeProcess node, long seconds)
      throws InterruptedException {
    var channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      ServingStatus last = null;
      while (System.nanoTime() < deadline) {
        if (node != null && !node.isAlive()) {
          throw new AssertionError("the node process died:\n" + node.output());
        }
        var trailers = new AtomicReference<Metadata>();
        try {
          last = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
              .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers))
              .check(HealthCheckRequest.getDefaultInstance()).getStatus();
          String detail = trailers.get() == null ? null : trailers.get().get(Metadata.Key.of(
              OutOfService.DETAIL_HEADER, Metadata.ASCII_STRING_MARSHALLER));
          // NOT_SERVING with a reason: a node that is only starting up says NOT_SERVING without one.
          if (last == wanted && (wanted == ServingStatus.SERVING || detail != null)) {
            return detail == null ? "" : detail;
          }
        } catch (StatusRuntimeException notYet) {
          // the port is closed between the node and its stand-in
        }
        Thread.sleep(100);
      }
      throw new AssertionError("health never said " + wanted + " (last " + last + ")");
    } finally {
      channel.shutdownNow();
    }
  }

  private static void awaitAlphaAt(Clients bank, PeerState wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        // UP: every bank UP (alpha sees beta, beta sees alpha); DOWN: alpha DOWN, the others as they are.
        if (bank.admin(ADMIN_TOKEN).getClusterStatus(GetClusterStatusRequest.getDefaultInstance()).getBanksList()
            .stream().allMatch(b -> b.getState() == wanted
                || wanted == PeerState.PEER_STATE_DOWN && !b.getBank().equals("alpha"))) {
          return;
        }
      } catch (StatusRuntimeException notYet) {
        // a node that is starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("alpha never " + wanted);
  }

  /**
   * Calls until the stand-in answers (the client's connection to the node that stopped is gone, and a call made
   * before it reconnects fails with a bare UNAVAILABLE), and checks that answer.
   */
  private static StatusRuntimeException expectDiskFull(Clients clients, Runnable call) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        call.run();
        throw new AssertionError("a node with a full disk answered");
      } catch (StatusRuntimeException e) {
        if (Clients.reason(e).isEmpty() && e.getStatus().getCode() == Status.Code.UNAVAILABLE
            && System.nanoTime() < deadline) {
          clients.channel().resetConnectBackoff();
          Thread.sleep(100);
          continue;
        }
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        assertEquals("DISK_FULL", Clients.reason(e), e.toString());
        assertEquals(1, detail(e, RetryInfo.class).getRetryDelay().getSeconds(), "retry when the node does");
        return e;
      }
    }
  }

  private static <T extends com.google.protobuf.Message> T detail(StatusRuntimeException e, Class<T> type) {
    return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(type)).findFirst().map(a -> {
      try {
        return a.unpack(type);
      } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
        throw new AssertionError(bad);
      }
    }).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + e));
  }

  private static void prlimit(NodeProcess node, String fsize) throws IOException, InterruptedException {
    String failed = run("prlimit", "--pid", Long.toString(node.pid()), "--fsize=" + fsize);
    assertEquals(null, failed, "prlimit --fsize=" + fsize + " (util-linux) must work on a child of this user");
  }

  /** Runs a command; null when it succeeded, else its exit code and output, on one line. */
  private static String run(String... command) throws IOException, InterruptedException {
    var p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes()).trim().replaceAll("\\s*\\n\\s*", " ");
    return p.waitFor() == 0 ? null : "exit " + p.exitValue() + ": " + output;
  }
}
