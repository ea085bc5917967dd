package dev.distribank.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.core.order.Envelope;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.VoteSignature;
import dev.distribank.node.core.order.VoteSigner;
import dev.distribank.node.core.order.Votes;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.node.testing.PeerHarness;
import dev.distribank.node.tls.NodeTls;
import dev.distribank.node.tls.TlsFiles;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.PeerStatus;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.AppliedBatch;
import dev.distribank.proto.peer.v1.Decision;
import dev.distribank.proto.peer.v1.DecisionBatch;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile but authenticated member: the real gamma is stopped, and this harness holds gamma's real certificate and
 * key and speaks the real Exchange protocol to the honest banks. It forges, contradicts, duplicates and reorders:
 * no money appears at any honest bank, they stay SERVING and keep trading, and each refusal is counted against gamma.
 * A gamma that lies about its own books (signs a payment it never makes) is named by the bilateral audit.
 */
class HostilePeerTest {
  static final List<String> BANKS = List.of("alpha", "beta", "delta", "gamma");
  static final String ADMIN = "test-admin-token";
  @TempDir Path dir;
  LocalCluster cluster;
  ScheduledExecutorService timers;
  String vera;
  String dan;
  String bia;
  AccountId veraAccount;
  AccountId danAccount;
  AccountId biaAccount;

  @BeforeEach
  void start() throws Exception {
    cluster = new LocalCluster(dir, BANKS);
    timers = Executors.newSingleThreadScheduledExecutor();
    vera = cluster.at("alpha").signUp("vera", Cpfs.cpf(41));
    dan = cluster.at("delta").signUp("dan", Cpfs.cpf(42));
    bia = cluster.at("beta").signUp("bia", Cpfs.cpf(43));
    veraAccount = open("alpha", vera, 10_000);
    danAccount = open("delta", dan, 1_000);
    biaAccount = open("beta", bia, 10_000);
    cluster.stop("gamma"); // from here on, "gamma" is the harness
  }

  @AfterEach
  void stop() throws Exception {
    timers.shutdownNow();
    cluster.close();
  }

  AccountId open(String bank, String token, long cents) {
    String id = cluster.at(bank).as(token).openAccount(OpenAccountRequest.newBuilder()
        .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
    cluster.at(bank).as(token).deposit(DepositRequest.newBuilder().setAccount(id).setAmountCents(cents).build());
    return AccountId.parse(id, "account");
  }

  long balance(String bank, String token, AccountId account) {
    return cluster.at(bank).as(token).getBalance(GetBalanceRequest.newBuilder().setAccount(account.toString())
        .build()).getBalanceCents();
  }

  /** An honest transfer through {@code bank}'s API: it must commit. */
  void pay(String bank, String token, AccountId from, AccountId to, long cents) {
    var receipt = cluster.at(bank).as(token).transfer(TransferRequest.newBuilder().addLegs(
        dev.distribank.proto.bank.v1.Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER)
            .setFromAccount(from.toString()).setToAccount(to.toString()).setAmountCents(cents)).build())
        .getReceipt();
    assertFalse(receipt.getTransactionId().isEmpty());
  }

  long refusedFromGamma(String at) {
    return cluster.at(at).admin(ADMIN).getClusterStatus(GetClusterStatusRequest.getDefaultInstance())
        .getBanksList().stream().filter(b -> b.getBank().equals("gamma")).mapToLong(PeerStatus::getRefusedMessages)
        .sum();
  }

  void assertServing(String bank) {
    assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(cluster.at(bank).channel())
        .check(HealthCheckRequest.getDefaultInstance()).getStatus(), bank);
  }

  /** Gamma's Exchange stream to one honest bank: what it sends, and what that bank sends back. */
  final class Gamma implements AutoCloseable {
    final PeerHarness harness;
    final String to;
    final StreamObserver<ExchangeRequest> requests;
    final LinkedBlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
    /** The kinds of body the honest bank sent, batch bodies included. */
    final java.util.Set<PeerMessage.BodyCase> bodies = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Gamma(String to) {
      this.to = to;
      this.harness = PeerHarness.as(cluster, "gamma", to);
      this.requests = PeerServiceGrpc.newStub(harness.channel()).exchange(new StreamObserver<ExchangeResponse>() {
        @Override
        public void onNext(ExchangeResponse r) {
          for (PeerMessage body : r.getMessagesList()) {
            bodies.add(body.getBodyCase());
            PeerBatches.expand(to, body).forEach(m -> received.add(PeerProtos.fromProto(to, "gamma", m)));
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      });
      requests.onNext(ExchangeRequest.newBuilder().setFromBank("gamma").build());
    }

    void send(Message... messages) {
      var batch = ExchangeRequest.newBuilder().setFromBank("gamma");
      for (Message m : messages) {
        batch.addMessages(PeerProtos.toProto(m));
      }
      requests.onNext(batch.build());
    }

    /** Sends {@code bodies} as they are, in one frame that says gamma reads batch bodies. */
    void sendBodies(List<PeerMessage> bodies) {
      requests.onNext(ExchangeRequest.newBuilder().setFromBank("gamma").setReadsBatches(true)
          .addAllMessages(bodies).build());
    }

    /** The next message about {@code txn} of type {@code type}, waiting up to 10 s. */
    <M extends Message> M await(Class<M> type, String txn) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        Envelope e = received.poll(100, TimeUnit.MILLISECONDS);
        if (e != null && type.isInstance(e.message()) && e.message().transactionId().equals(txn)) {
          return type.cast(e.message());
        }
      }
      throw new AssertionError(to + " sent no " + type.getSimpleName() + " for " + txn);
    }

    @Override
    public void close() throws InterruptedException {
      requests.onCompleted();
      harness.close();
    }
  }

  static Message.Propose propose(String txn, List<Leg> legs, List<String> participants) {
    return new Message.Propose(txn, "gamma", new Principal("gamma", "mallory"), legs, participants, "");
  }

  /** Waits until {@code bank} has refused at least {@code count} of gamma's messages. */
  void awaitRefused(String bank, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (refusedFromGamma(bank) < count) {
      assertTrue(System.nanoTime() < deadline, bank + " refused only " + refusedFromGamma(bank) + " of gamma's "
          + "messages, expected " + count);
      Thread.sleep(20);
    }
  }

  @Test
  void forgedContradictoryDuplicatedAndReorderedMessages_createNoMoney_honestBanksKeepTrading() throws Exception {
    NodeTls gammaTls = new NodeTls("gamma", java.util.Set.copyOf(BANKS), TlsFiles.inDirectory(cluster.pki(),
        "gamma"), timers);
    VoteSigner gammaKey = gammaTls.voteSigner();
    try (var toDelta = new Gamma("delta"); var toAlpha = new Gamma("alpha")) {
      // 1. The attack: credit dan at delta with 1e9 "from vera's account at alpha", shown only to delta.
      var forged = propose("gamma-900001", List.of(Leg.transfer(veraAccount, new Destination.ToAccount(danAccount),
          1_000_000_000L)), List.of("alpha", "delta"));
      toDelta.send(forged);
      Message.Ack deltaVote = toDelta.await(Message.Ack.class, "gamma-900001");
      assertTrue(deltaVote.yes(), "delta only receives in it, so it votes YES");
      Stamp fin = new Stamp(deltaVote.proposed().counter() + 1, "gamma");
      // ... and COMMIT it: with no votes, with alpha's vote "signed" by gamma's key, with garbage.
      toDelta.send(new Message.Decide("gamma-900001", true, fin, null));
      toDelta.send(new Message.Decide("gamma-900001", true, fin, null, Map.of("alpha",
          gammaKey.sign(Votes.digest(forged, "alpha")))));
      var someCertificate = gammaKey.sign(new byte[32]).certificate();
      toDelta.send(new Message.Decide("gamma-900001", true, fin, null, Map.of("alpha", new VoteSignature(
          someCertificate, Base64.getEncoder().encodeToString(new byte[70]), ""))));
      awaitRefused("delta", 3);
      assertEquals(1_000, balance("delta", dan, danAccount), "no forged COMMIT credits dan");

      // 2. Contradictions: a second, different proposal under the voted id; a COMMIT of a transaction delta never
      //    voted on; a decision and a proposal under alpha's ids; a vote in alpha's name; gamma's word for others.
      toDelta.send(propose("gamma-900001", List.of(Leg.transfer(veraAccount, new Destination.ToAccount(danAccount),
          5L)), List.of("alpha", "delta")));
      toDelta.send(new Message.Decide("gamma-900002", true, fin, null));
      toDelta.send(new Message.Decide("alpha-1", true, fin, null));
      toDelta.send(new Message.Propose("alpha-77", "gamma", new Principal("gamma", "mallory"),
          List.of(Leg.deposit(danAccount, 1)), List.of("delta"), ""));
      toDelta.send(new Message.Ack("delta-1", "alpha", fin, null, Map.of()));
      toDelta.send(new Message.Inquire("alpha-3", "gamma"), new Message.Applied("delta-2", "gamma"));
      awaitRefused("delta", 8);

      // 3. Out of order and duplicated: a decision before its proposal, then the proposal, then all of it again.
      var late = propose("gamma-900003", List.of(Leg.transfer(veraAccount, new Destination.ToAccount(danAccount),
          777L)), List.of("alpha", "delta"));
      for (int round = 0; round < 3; round++) {
        toDelta.send(new Message.Decide("gamma-900003", false, null, Rejection.of(Reason.TIMED_OUT, "", "early")));
        toDelta.send(late, late);
      }
      // 4. Alpha hears of vera's debit, refuses it (gamma's customer holds no consent), and is COMMITted anyway.
      toAlpha.send(forged);
      assertFalse(toAlpha.await(Message.Ack.class, "gamma-900001").yes());
      toAlpha.send(new Message.Decide("gamma-900001", true, fin, null));
      awaitRefused("alpha", 1);

      // Meanwhile: the honest banks trade with each other.
      pay("alpha", vera, veraAccount, biaAccount, 100);
      pay("beta", bia, biaAccount, danAccount, 50);
      for (String bank : List.of("alpha", "beta", "delta")) {
        assertServing(bank);
      }
      assertEquals(0, refusedFromGamma("beta"), "beta heard nothing from gamma");
      for (String at : List.of("alpha", "beta", "delta")) {
        for (PeerStatus b : cluster.at(at).admin(ADMIN).getClusterStatus(GetClusterStatusRequest
            .getDefaultInstance()).getBanksList()) {
          if (!b.getBank().equals("gamma")) {
            assertEquals(0, b.getRefusedMessages(), at + " refused messages of honest " + b.getBank());
          }
        }
      }
    } finally {
      gammaTls.close();
    }
    // Delta voted YES on gamma's forged credit and gamma never decided it: two-phase commit holds delta's later
    // transactions behind it (the limit docs/security.md states). The real gamma, back, has no record of it and
    // answers delta's inquiry with ABORT; then everything behind it applies.
    cluster.start("gamma");
    cluster.awaitAllUp();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (balance("delta", dan, danAccount) != 1_050) {
      assertTrue(System.nanoTime() < deadline, "dan should hold exactly his 10.00 and bia's honest 0.50, has "
          + balance("delta", dan, danAccount));
      Thread.sleep(100);
    }
    assertEquals(9_900, balance("alpha", vera, veraAccount));
    assertEquals(10_050, balance("beta", bia, biaAccount));
    AuditResponse audit = cluster.at("beta").admin(ADMIN).audit(AuditRequest.getDefaultInstance());
    assertTrue(audit.getBalanced() && audit.getBilateralAgreed(), "no money appeared anywhere: " + audit);
  }

  /**
   * The same forgeries in batch bodies: a body is only the messages it stands for, so each entry is checked and
   * refused as it would be alone, and what an entry says for itself is never replaced by the body's sender.
   */
  @Test
  void forgeriesInBatchBodies_areRefusedEntryByEntry_andABodyOfTooManyIsDroppedWhole() throws Exception {
    NodeTls gammaTls = new NodeTls("gamma", java.util.Set.copyOf(BANKS), TlsFiles.inDirectory(cluster.pki(),
        "gamma"), timers);
    VoteSigner gammaKey = gammaTls.voteSigner();
    try (var toDelta = new Gamma("delta")) {
      var forged = propose("gamma-920001", List.of(Leg.transfer(veraAccount, new Destination.ToAccount(danAccount),
          1_000_000_000L)), List.of("alpha", "delta"));
      var forged2 = propose("gamma-920002", List.of(Leg.transfer(veraAccount, new Destination.ToAccount(danAccount),
          2_000_000_000L)), List.of("alpha", "delta"));
      // Two of gamma's proposals and one under alpha's id, in one body.
      toDelta.sendBodies(PeerBatches.encode("gamma", List.of(forged, forged2, new Message.Propose("alpha-78",
          "gamma", new Principal("gamma", "mallory"), List.of(Leg.deposit(danAccount, 1)), List.of("delta"), ""))));
      Message.Ack vote = toDelta.await(Message.Ack.class, "gamma-920001");
      assertTrue(vote.yes(), "delta only receives in it, so it votes YES");
      toDelta.await(Message.Ack.class, "gamma-920002");
      assertTrue(toDelta.bodies.contains(PeerMessage.BodyCase.ACK_BATCH),
          "delta answers a bank that reads bodies in bodies: " + toDelta.bodies);
      awaitRefused("delta", 1);

      // COMMIT both: alpha's "vote" signed with gamma's key, its certificate left to the body's table, which
      // names gamma's certificate for alpha; and a vote in alpha's name in gamma's body of votes.
      Stamp fin = new Stamp(vote.proposed().counter() + 5, "gamma");
      var commits = DecisionBatch.newBuilder().putCertificates("alpha", gammaKey.sign(new byte[32]).certificate());
      for (var p : List.of(forged, forged2)) {
        var signed = gammaKey.sign(Votes.digest(p, "alpha"));
        commits.addDecisions(Decision.newBuilder().setTransactionId(p.transactionId()).setCommit(true)
            .setFinalStamp(dev.distribank.node.api.TypeProtos.toProto(fin)).putVotes("alpha",
                dev.distribank.proto.peer.v1.VoteSignature.newBuilder().setSignature(signed.signature())
                    .setDigest(signed.digest()).setPath(signed.path()).build()));
      }
      toDelta.sendBodies(List.of(PeerMessage.newBuilder().setDecideBatch(commits).build()));
      toDelta.sendBodies(PeerBatches.encode("gamma", List.of(new Message.Ack("delta-1", "alpha", fin, null,
          Map.of()), new Message.Ack("delta-2", "alpha", fin, null, Map.of()))));
      awaitRefused("delta", 5);

      // A body of one message too many is dropped whole, unread: not one of its entries is refused or applied.
      var flood = AppliedBatch.newBuilder();
      for (int i = 0; i <= PeerBatches.MAX_ENTRIES; i++) {
        flood.addTransactionIds("delta-" + i);
      }
      long refusedBefore = refusedFromGamma("delta");
      toDelta.sendBodies(List.of(PeerMessage.newBuilder().setAppliedBatch(flood).build()));
      toDelta.sendBodies(PeerBatches.encode("gamma", List.of(propose("gamma-920003", List.of(Leg.deposit(danAccount,
          1)), List.of("delta")))));
      toDelta.await(Message.Ack.class, "gamma-920003"); // delta read on past the flood
      assertEquals(refusedBefore, refusedFromGamma("delta"));
      assertEquals(1_000, balance("delta", dan, danAccount), "no forged COMMIT in a body credits dan");
      assertServing("delta");
    } finally {
      gammaTls.close();
    }
  }

  @Test
  void gammaSigningPaymentsItNeverBooks_isNamedByTheBilateralAudit() throws Exception {
    NodeTls gammaTls = new NodeTls("gamma", java.util.Set.copyOf(BANKS), TlsFiles.inDirectory(cluster.pki(),
        "gamma"), timers);
    VoteSigner gammaKey = gammaTls.voteSigner();
    var gammaAccount = new AccountId("gamma", 1001);
    try (var toDelta = new Gamma("delta"); var toBeta = new Gamma("beta")) {
      // Gamma "pays" dan and bia from its own account, signing its own YES: a bank may always lie about its books.
      int n = 0;
      for (var target : List.of(toDelta, toBeta)) {
        AccountId to = target.to.equals("delta") ? danAccount : biaAccount;
        String txn = "gamma-91000" + n++;
        var p = propose(txn, List.of(Leg.transfer(gammaAccount, new Destination.ToAccount(to), 500)),
            List.of("gamma", target.to));
        target.send(p);
        var vote = target.await(Message.Ack.class, txn);
        assertTrue(vote.yes());
        target.send(new Message.Decide(txn, true, new Stamp(vote.proposed().counter() + 1, "gamma"), null,
            Map.of("gamma", gammaKey.sign(Votes.digest(p, "gamma")))));
        target.await(Message.Applied.class, txn);
      }
    } finally {
      gammaTls.close();
    }
    assertEquals(1_500, balance("delta", dan, danAccount), "delta applied what gamma signed it would pay");
    // The real gamma comes back: its books hold no such payments.
    cluster.start("gamma");
    cluster.awaitAllUp();
    AuditResponse audit = cluster.at("alpha").admin(ADMIN).audit(AuditRequest.getDefaultInstance());

    assertFalse(audit.getBilateralAgreed());
    assertEquals(List.of("beta/gamma", "delta/gamma"), audit.getDisagreeingPairsList());
    assertEquals(List.of("gamma"), audit.getImplicatedBanksList(), "the bank every disagreement involves");
    var agreeing = new ArrayList<String>();
    audit.getPairsList().stream().filter(p -> p.getAgreed()).forEach(p -> agreeing.add(p.getBankA() + "/"
        + p.getBankB()));
    assertEquals(List.of("alpha/beta", "alpha/delta", "alpha/gamma", "beta/delta"), agreeing);
  }
}
