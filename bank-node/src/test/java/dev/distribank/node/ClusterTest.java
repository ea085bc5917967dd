package dev.distribank.node;

import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four real bank nodes on loopback ports with real RocksDB directories, moving money between each other. */
class ClusterTest {
  static final List<String> BANKS = List.of("alpha", "beta", "gamma", "delta");
  @TempDir Path dir;
  LocalCluster cluster;
  /** The same person with a login and an account at every bank, each login consented at the other banks. */
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  final Map<String, String> accounts = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    cluster = new LocalCluster(dir, BANKS);
    for (String bank : BANKS) {
      String token = cluster.at(bank).signUp("ana", Cpfs.cpf(11));
      tokens.put(bank, token);
      accounts.put(bank, cluster.at(bank).as(token).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount());
    }
    // A CPF proves nothing across banks: ana lets her login at each bank debit her accounts at the others.
    Clients.consentEverywhere(cluster::at, "ana", tokens, accounts);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  long balance(String bank) {
    return cluster.at(bank).as(tokens.get(bank)).getBalance(GetBalanceRequest.newBuilder()
        .setAccount(accounts.get(bank)).build()).getBalanceCents();
  }

  void deposit(String bank, long cents) {
    cluster.at(bank).as(tokens.get(bank)).deposit(DepositRequest.newBuilder().setAccount(accounts.get(bank))
        .setAmountCents(cents).build());
  }

  static Leg leg(String from, String to, long cents) {
    return Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to)
        .setAmountCents(cents).build();
  }

  @Test
  void threeBanksToOne_oneTransaction_appliedEverywhereAndReadableAtOnce() {
    deposit("alpha", 1_000);
    deposit("beta", 2_000);
    deposit("gamma", 3_000);

    var request = TransferRequest.newBuilder()
        .addLegs(leg(accounts.get("alpha"), accounts.get("delta"), 500))
        .addLegs(leg(accounts.get("beta"), accounts.get("delta"), 1_500))
        .addLegs(leg(accounts.get("gamma"), accounts.get("delta"), 2_500))
        .setRequestId("6f1c2a8e-0c1d-4b7e-9a3f-2d5e8b7c1a00").build();
    var receipt = cluster.at("alpha").as(tokens.get("alpha")).transfer(request).getReceipt();
    var retry = cluster.at("alpha").as(tokens.get("alpha")).transfer(request).getReceipt();

    assertTrue(receipt.getTransactionId().startsWith("alpha-"), receipt.getTransactionId());
    assertEquals(receipt.getTransactionId(), retry.getTransactionId());
    assertTrue(retry.getReplayed(), "a retry of a multi-bank transaction replays, it does not apply again");
    assertEquals(500, balance("alpha"));
    assertEquals(500, balance("beta"));
    assertEquals(500, balance("gamma"));
    assertEquals(4_500, balance("delta"), "read-your-writes at every involved bank");
  }

  @Test
  void crossBank_lastLegOverdraws_changesNothingAnywhere() {
    deposit("alpha", 1_000);
    deposit("beta", 1_000);

    var e = assertThrows(StatusRuntimeException.class, () -> cluster.at("alpha").as(tokens.get("alpha"))
        .transfer(TransferRequest.newBuilder()
            .addLegs(leg(accounts.get("alpha"), accounts.get("gamma"), 900))
            .addLegs(leg(accounts.get("beta"), accounts.get("gamma"), 1_001)).build()));

    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertEquals("INSUFFICIENT_FUNDS", reason(e));
    assertTrue(e.getStatus().getDescription().contains("leg 1"), e.getStatus().getDescription());
    assertEquals(1_000, balance("alpha"));
    assertEquals(1_000, balance("beta"));
    assertEquals(0, balance("gamma"));
    var available = cluster.at("alpha").as(tokens.get("alpha")).getBalance(GetBalanceRequest.newBuilder()
        .setAccount(accounts.get("alpha")).build()).getAvailableCents();
    assertEquals(1_000, available, "alpha's hold was released");
  }

  /**
   * The audit's bilateral check against what the test moved: every pair of banks agrees, and each side's numbers are
   * the transfers made between them ({@code sent}: "from>to" → cents), both ways.
   */
  static void assertFlows(AuditResponse audit, Map<String, Long> sent) {
    assertTrue(audit.getBilateralAgreed(), audit::toString);
    assertEquals(List.of(), audit.getDisagreeingPairsList());
    assertEquals(BANKS.size() * (BANKS.size() - 1) / 2, audit.getPairsCount(), audit::toString);
    for (BankPairFlows pair : audit.getPairsList()) {
      String there = Long.toString(sent.getOrDefault(pair.getBankA() + ">" + pair.getBankB(), 0L));
      String back = Long.toString(sent.getOrDefault(pair.getBankB() + ">" + pair.getBankA(), 0L));
      assertEquals(List.of(there, there, back, back), List.of(pair.getASentToBCents(),
          pair.getBReceivedFromACents(), pair.getBSentToACents(), pair.getAReceivedFromBCents()), pair::toString);
      assertTrue(pair.getAgreed(), pair::toString);
    }
  }

  /** One transaction from {@code coordinator}; adds each leg to {@code sent} ("from>to" → cents). */
  void transfer(String coordinator, Map<String, Long> sent, Leg... legs) {
    cluster.at(coordinator).as(tokens.get(coordinator)).transfer(TransferRequest.newBuilder()
        .addAllLegs(List.of(legs)).build());
    for (Leg l : legs) {
      sent.merge(l.getFromAccount().split(":")[0] + ">" + l.getToAccount().split(":")[0], l.getAmountCents(),
          Long::sum);
    }
  }

  @Test
  void transfersAmongFourBanks_everyPairAgreesOnTheTransfersMade_alsoAfterARestart() throws Exception {
    for (String bank : BANKS) {
      deposit(bank, 10_000);
    }
    var sent = new java.util.TreeMap<String, Long>();
    transfer("alpha", sent, leg(accounts.get("alpha"), accounts.get("beta"), 300));
    transfer("beta", sent, leg(accounts.get("beta"), accounts.get("gamma"), 120),
        leg(accounts.get("beta"), accounts.get("alpha"), 45));
    // Five legs over four banks, two of them between the same pair: each leg counts on its own.
    transfer("gamma", sent, leg(accounts.get("gamma"), accounts.get("delta"), 70),
        leg(accounts.get("alpha"), accounts.get("delta"), 15), leg(accounts.get("delta"), accounts.get("beta"), 8),
        leg(accounts.get("gamma"), accounts.get("alpha"), 2), leg(accounts.get("alpha"), accounts.get("beta"), 1));

    assertFlows(cluster.at("delta").admin("test-admin-token").audit(AuditRequest.getDefaultInstance()), sent);

    cluster.stop("beta");
    cluster.start("beta");
    cluster.awaitAllUp();
    assertFlows(cluster.at("alpha").admin("test-admin-token").audit(AuditRequest.getDefaultInstance()), sent);
  }

  @Test
  void manyClients_racingCrossBankTransfers_moneyIsConserved() throws Exception {
    for (String bank : BANKS) {
      deposit(bank, 10_000);
    }
    ExecutorService pool = Executors.newFixedThreadPool(12);
    var committed = new AtomicInteger();
    var refused = new AtomicInteger();
    var sent = new ConcurrentHashMap<String, Long>();
    var futures = new ArrayList<Future<?>>();
    for (int t = 0; t < 12; t++) {
      int seed = t;
      futures.add(pool.submit(() -> {
        var random = new Random(seed);
        for (int i = 0; i < 25; i++) {
          String coordinator = BANKS.get(random.nextInt(BANKS.size()));
          String from = BANKS.get(random.nextInt(BANKS.size()));
          String to = BANKS.get(random.nextInt(BANKS.size()));
          if (from.equals(to)) {
            continue;
          }
          try {
            long cents = 1 + random.nextInt(3_000);
            cluster.at(coordinator).as(tokens.get(coordinator)).transfer(TransferRequest.newBuilder()
                .addLegs(leg(accounts.get(from), accounts.get(to), cents)).build());
            sent.merge(from + ">" + to, cents, Long::sum);
            committed.incrementAndGet();
          } catch (StatusRuntimeException e) {
            assertEquals("INSUFFICIENT_FUNDS", reason(e), e.getStatus().toString());
            refused.incrementAndGet();
          }
        }
        return null;
      }));
    }
    var audits = new ArrayList<AuditResponse>();
    var auditor = pool.submit(() -> {
      int bank = 0;
      while (!futures.stream().allMatch(Future::isDone)) {
        audits.add(cluster.at(BANKS.get(bank++ % BANKS.size())).admin("test-admin-token")
            .audit(AuditRequest.getDefaultInstance()));
      }
      return null;
    });
    for (Future<?> f : futures) {
      f.get();
    }
    auditor.get();
    pool.shutdown();
    AuditResponse last = cluster.at("gamma").admin("test-admin-token").audit(AuditRequest.getDefaultInstance());
    audits.add(last);

    for (AuditResponse audit : audits) {
      assertTrue(audit.getBalanced(), "I1 at cut " + audit.getAtCounter() + ": " + audit);
      assertTrue(audit.getNoNegativeBalance(), "I2 at cut " + audit.getAtCounter());
      assertTrue(audit.getBilateralAgreed(), "every pair's flows agree at cut " + audit.getAtCounter() + ": "
          + audit.getDisagreeingPairsList());
      assertEquals(4, audit.getBanksCount());
      assertEquals(40_000, audit.getDepositsCents());
    }
    assertTrue(audits.size() >= 2, "audits ran during the load: " + audits.size());
    assertFlows(last, sent);

    long total = 0;
    for (String bank : BANKS) {
      long b = balance(bank);
      assertTrue(b >= 0, bank + " went negative");
      total += b;
    }
    assertEquals(40_000, total, "I1: money is neither created nor lost");
    assertTrue(committed.get() > 50, "most transfers commit: " + committed + " committed, " + refused + " refused");
  }
}
