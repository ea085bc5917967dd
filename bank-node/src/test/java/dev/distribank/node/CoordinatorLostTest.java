package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.node.testing.NodeProcess;
import dev.distribank.node.testing.Scrape;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.PeerState;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator killed between the votes and the decision, and kept down (DESIGN §5, cooperative termination), on
 * three real bank processes: alpha's customer pays a customer of beta and one of gamma in one transaction. gamma is
 * frozen (SIGSTOP), so alpha's proposal reaches beta, which votes YES, and sits unread in gamma's socket. Then alpha
 * is killed with SIGKILL, and so is the frozen gamma, which comes back without ever having seen the proposal. With
 * alpha still down, beta asks gamma; gamma refuses the transaction for good, so it can only abort, and beta lets its
 * vote go: its in-doubt gauge drops to 0 and the transactions behind it go through, while alpha stays dead. When alpha
 * is back at last it aborts what it never decided, and the audit balances.
 */
class CoordinatorLostTest {
  private static final String ADMIN_TOKEN = "coordinator-lost-admin-token";
  private static final List<String> BANKS = List.of("alpha", "beta", "gamma");
  @TempDir Path dir;

  /** A bank's ports: public, peer, health, metrics. */
  record Ports(int api, int peer, int health, int metrics) {}

  @Test
  void coordinatorKilledBetweenVotesAndDecision_staysDown_theParticipantsSettleIt() throws Exception {
    var ports = new TreeMap<String, Ports>();
    for (String bank : BANKS) {
      ports.put(bank, new Ports(LocalCluster.freePort(), LocalCluster.freePort(), LocalCluster.freePort(),
          LocalCluster.freePort()));
    }
    Path pki = dir.resolve("pki");
    dev.distribank.pki.Consortium.init(pki, BANKS, Map.of(), Duration.ofDays(1));
    String peers = String.join(",", BANKS.stream().map(b -> b + "=127.0.0.1:" + ports.get(b).peer()).toList());
    var nodes = new TreeMap<String, NodeProcess>();
    var clients = new TreeMap<String, Clients>();
    try {
      for (String bank : BANKS) {
        nodes.put(bank, start(bank, ports.get(bank), peers, pki, "1"));
        clients.put(bank, new Clients(ports.get(bank).api(), pki.resolve("ca.pem")));
      }
      for (String bank : BANKS) {
        awaitPeers(clients.get(bank), b -> true, nodes.get(bank));
      }
      String ana = clients.get("alpha").signUp("ana", Cpfs.cpf(21));
      String anaAccount = open(clients.get("alpha"), ana);
      clients.get("alpha").as(ana).deposit(DepositRequest.newBuilder().setAccount(anaAccount)
          .setAmountCents(10_000).build());
      String bia = clients.get("beta").signUp("bia", Cpfs.cpf(22));
      String biaAccount = open(clients.get("beta"), bia);
      String gil = clients.get("gamma").signUp("gil", Cpfs.cpf(23));
      String gilAccount = open(clients.get("gamma"), gil);

      signal("STOP", nodes.get("gamma"));
      var transfer = CompletableFuture.runAsync(() -> clients.get("alpha").as(ana).transfer(TransferRequest
          .newBuilder().addLegs(leg(anaAccount, biaAccount, 100)).addLegs(leg(anaAccount, gilAccount, 200))
          .setRequestId("7d1f9a52-3c43-4a8e-9b43-6a0f3f1e2b11").build()));
      await("beta votes YES and waits for the decision", 20, () -> inDoubt(ports.get("beta")) == 1);

      assertEquals(137, nodes.get("alpha").killNine(), "alpha killed by signal 9");
      assertEquals(137, nodes.get("gamma").killNine(), "gamma killed by signal 9, frozen");
      assertTrue(transfer.handle((ok, failed) -> failed).get(30, TimeUnit.SECONDS) != null,
          "alpha was killed before it answered");
      nodes.put("gamma", start("gamma", ports.get("gamma"), peers, pki, "2"));
      awaitPeers(clients.get("gamma"), b -> !b.equals("alpha"), nodes.get("gamma"));

      long since = System.nanoTime();
      await("beta settles its vote with gamma while alpha is down", 90,
          () -> inDoubt(ports.get("beta")) == 0);
      long settledMillis = (System.nanoTime() - since) / 1_000_000;
      assertFalse(nodes.get("alpha").isAlive(), "alpha stays down");
      assertEquals(0, balance(clients.get("beta"), bia, biaAccount), "nothing of the aborted transfer at beta");
      assertEquals(1, Scrape.of(ports.get("beta").metrics()).sum("distribank_in_doubt_settled_by_peer_total",
          "outcome=\"aborted\""), "counted");
      assertTrue(nodes.get("beta").awaitOutput("settled ABORT on the word of bank gamma", 5), "and logged");
      assertEquals(0, balance(clients.get("gamma"), gil, gilAccount));

      // Nothing waits behind the settled vote: a deposit at beta, then beta → gamma, each answered at once.
      clients.get("beta").as(bia).withDeadlineAfter(10, TimeUnit.SECONDS).deposit(DepositRequest.newBuilder()
          .setAccount(biaAccount).setAmountCents(500).build());
      clients.get("beta").as(bia).withDeadlineAfter(10, TimeUnit.SECONDS).transfer(TransferRequest.newBuilder()
          .addLegs(leg(biaAccount, gilAccount, 300)).build());
      assertEquals(300, balance(clients.get("gamma"), gil, gilAccount));

      // alpha comes back at last: it aborts what it never decided, and the books agree.
      nodes.put("alpha", start("alpha", ports.get("alpha"), peers, pki, "2"));
      for (String bank : BANKS) {
        awaitPeers(clients.get(bank), b -> true, nodes.get(bank));
      }
      assertEquals(10_000, balance(clients.get("alpha"), ana, anaAccount), "ana paid nothing");
      var audit = clients.get("beta").admin(ADMIN_TOKEN).audit(AuditRequest.getDefaultInstance());
      assertTrue(audit.getBalanced() && audit.getBilateralAgreed(), audit.toString());
      System.out.printf("coordinator lost: beta's YES vote settled with gamma %d ms after gamma was back, alpha"
          + " still down; later transfers at beta answered; audit balanced once alpha returned%n", settledMillis);
    } catch (Throwable t) {
      nodes.forEach((bank, node) -> System.out.println("CoordinatorLostTest failed; " + bank + " printed:\n"
          + node.output()));
      throw t;
    } finally {
      for (Clients c : clients.values()) {
        c.close();
      }
      for (NodeProcess node : nodes.values()) {
        node.close();
      }
    }
  }

  private NodeProcess start(String bank, Ports p, String peers, Path pki, String run) throws IOException {
    return NodeProcess.start(List.of("--bank", bank, "--listen", "127.0.0.1:" + p.api(), "--data-dir",
        dir.resolve(bank).toString(), "--admin-token", ADMIN_TOKEN, "--pki-dir", pki.toString(), "--peers", peers,
        "--health-listen", "127.0.0.1:" + p.health(), "--metrics-listen", "127.0.0.1:" + p.metrics()),
        dir.resolve(bank + "-" + run + ".log"));
  }

  private static Leg leg(String from, String to, long cents) {
    return Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to)
        .setAmountCents(cents).build();
  }

  private static String open(Clients bank, String token) {
    return bank.as(token).openAccount(OpenAccountRequest.newBuilder().setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL)
        .build()).getAccount().getAccount();
  }

  private static long balance(Clients bank, String token, String account) {
    return bank.as(token).getBalance(GetBalanceRequest.newBuilder().setAccount(account).build()).getBalanceCents();
  }

  private static double inDoubt(Ports p) {
    return Scrape.of(p.metrics()).sum("distribank_in_doubt_votes");
  }

  private static void signal(String name, NodeProcess node) throws IOException, InterruptedException {
    assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(node.pid())).start().waitFor());
  }

  /** Waits until the bank answers and sees every bank {@code which} admits UP. */
  private static void awaitPeers(Clients bank, java.util.function.Predicate<String> which, NodeProcess node)
      throws InterruptedException {
    await("the bank is up and sees its peers", 60, () -> {
      if (!node.isAlive()) {
        throw new AssertionError("the node died:\n" + node.output());
      }
      try {
        return bank.admin(ADMIN_TOKEN).getClusterStatus(GetClusterStatusRequest.getDefaultInstance()).getBanksList()
            .stream().filter(b -> which.test(b.getBank())).allMatch(b -> b.getState() == PeerState.PEER_STATE_UP);
      } catch (StatusRuntimeException starting) {
        bank.channel().resetConnectBackoff();
        return false;
      }
    });
  }

  private static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
