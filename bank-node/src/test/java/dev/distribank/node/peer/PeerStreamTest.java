package dev.distribank.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.PeerHarness;
import dev.distribank.node.tls.TlsFiles;
import dev.distribank.pki.Consortium;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.PeerStatus;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import dev.distribank.proto.peer.v1.Principal;
import dev.distribank.proto.peer.v1.Proposal;
import dev.distribank.proto.peer.v1.Refusal;
import dev.distribank.proto.peer.v1.Vote;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node's Exchange streams against a harness that speaks the wire protocol over mutual TLS with alpha's real
 * certificate: a stream speaks only for the bank its certificate names, a newer stream for it replaces the old
 * cleanly, and messages that do not convert are dropped without taking the stream or the node down.
 */
class PeerStreamTest {
  @TempDir Path dir;
  BankNode beta;
  Clients clients;
  PeerHarness alpha;

  @BeforeEach
  void start() throws Exception {
    // alpha and gamma are never up: the harness plays alpha (which dials beta, its id being smaller).
    Path pki = dir.resolve("pki");
    Consortium.init(pki, List.of("alpha", "beta", "gamma"), Map.of(), Duration.ofDays(1));
    beta = BankNode.start(NodeConfig.forTest("beta", dir.resolve("beta")).withPeers(Map.of("alpha", "127.0.0.1:1",
        "beta", "127.0.0.1:0", "gamma", "127.0.0.1:2"), TlsFiles.inDirectory(pki, "beta")));
    clients = new Clients(beta.port(), pki.resolve("ca.pem"));
    alpha = new PeerHarness(beta.peerPort(), pki.resolve("ca.pem"), pki.resolve("alpha.pem"),
        pki.resolve("alpha.key"));
  }

  @AfterEach
  void stop() throws Exception {
    alpha.close();
    clients.close();
    beta.close();
  }

  /** One stream opened as a peer: what it receives and how it ends. */
  final class Stream {
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final StreamObserver<ExchangeRequest> requests;

    Stream(String as) {
      requests = PeerServiceGrpc.newStub(alpha.channel()).exchange(new StreamObserver<ExchangeResponse>() {
            @Override
            public void onNext(ExchangeResponse value) {}

            @Override
            public void onError(Throwable t) {
              ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              ended.complete(Status.OK);
            }
          });
      requests.onNext(ExchangeRequest.newBuilder().setFromBank(as).build());
    }
  }

  boolean alphaLinked() {
    return clients.admin("test-admin-token").getClusterStatus(GetClusterStatusRequest.getDefaultInstance())
        .getBanksList().stream().filter(b -> b.getBank().equals("alpha")).findFirst().map(PeerStatus::getLinked)
        .orElseThrow();
  }

  void awaitLinked(boolean linked) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (alphaLinked() != linked) {
      assertTrue(System.nanoTime() < deadline, "alpha linked never became " + linked);
      Thread.sleep(20);
    }
  }

  @Test
  void secondStreamForTheSameBank_replacesTheFirst_firstEndingLaterDoesNotUnlinkIt() throws Exception {
    var first = new Stream("alpha");
    awaitLinked(true);
    var second = new Stream("alpha");

    assertEquals(Status.Code.OK, first.ended.get(10, TimeUnit.SECONDS).getCode(), "the old stream is hung up");
    first.requests.onError(new RuntimeException("the old stream's client gives up"));
    Thread.sleep(300);
    assertTrue(alphaLinked(), "the newer stream is still the link");

    second.requests.onCompleted();
    awaitLinked(false);
  }

  @Test
  void alphasCertificateClaimingToBeGamma_isRefused_andLinksNothing() throws Exception {
    var stream = new Stream("gamma");

    assertEquals(Status.Code.PERMISSION_DENIED, stream.ended.get(10, TimeUnit.SECONDS).getCode());
    assertTrue(!alphaLinked(), "a refused stream is no link");
  }

  @Test
  void aStreamForAnotherBank_cannotDisplaceAlphasLink() throws Exception {
    var real = new Stream("alpha");
    awaitLinked(true);
    var impostor = new Stream("gamma");
    assertEquals(Status.Code.PERMISSION_DENIED, impostor.ended.get(10, TimeUnit.SECONDS).getCode());
    Thread.sleep(200);
    assertTrue(alphaLinked(), "alpha's own stream is still the link");
    assertTrue(!real.ended.isDone(), "and it is still open");
    real.requests.onCompleted();
  }

  @Test
  void streamThatLaterSpeaksForAnotherBank_isClosed() throws Exception {
    var stream = new Stream("alpha");
    awaitLinked(true);

    stream.requests.onNext(ExchangeRequest.newBuilder().setFromBank("gamma").addMessages(PeerMessage.newBuilder()
        .setAck(Vote.newBuilder().setTransactionId("beta-1").setFromBank("gamma"))).build());

    assertEquals(Status.Code.PERMISSION_DENIED, stream.ended.get(10, TimeUnit.SECONDS).getCode());
    awaitLinked(false);
  }

  @Test
  void messagesThatDoNotConvert_areDropped_streamAndNodeGoOn() throws Exception {
    var stream = new Stream("alpha");
    awaitLinked(true);
    var badLeg = PeerMessage.newBuilder().setPropose(Proposal.newBuilder().setTransactionId("alpha-1")
        .setCoordinator("alpha").setPrincipal(Principal.newBuilder().setBank("alpha").setLogin("mallory"))
        .addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_DEPOSIT).setToAccount("\u0000beta:1001")
            .setAmountCents(-5)).addParticipants("beta")).build();
    var unknownReason = PeerMessage.newBuilder().setAck(Vote.newBuilder().setTransactionId("beta-7")
        .setFromBank("alpha").setRefusal(Refusal.newBuilder().setReason("NO_SUCH_REASON_EVER"))).build();

    for (int i = 0; i < 50; i++) {
      stream.requests.onNext(ExchangeRequest.newBuilder().setFromBank("alpha").addMessages(badLeg)
          .addMessages(unknownReason).build());
    }
    Thread.sleep(500);

    assertTrue(!stream.ended.isDone(), "the stream is still open: " + stream.ended.getNow(null));
    assertTrue(alphaLinked());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(alpha.channel())
        .check(HealthCheckRequest.getDefaultInstance()).getStatus());
    stream.requests.onCompleted();
  }
}
