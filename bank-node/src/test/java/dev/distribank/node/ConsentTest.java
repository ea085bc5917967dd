package dev.distribank.node;

import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-bank authority against four real nodes (DESIGN §3): a principal is a login at a bank, a CPF proves nothing
 * across banks, and a customer of another bank debits an account only under a consent its holder granted at the
 * account's own bank — within its limits, until it expires or is revoked, and never past its total under concurrency.
 */
class ConsentTest {
  static final String VICTIM_CPF = Cpfs.cpf(4242);
  @TempDir Path dir;
  LocalCluster cluster;
  /** The victim: a customer of gamma only, with 1,000.00 in gamma's account. */
  String vera;
  String veraAccount;

  @BeforeEach
  void start() throws Exception {
    cluster = new LocalCluster(dir, List.of("alpha", "beta", "gamma", "delta"));
    vera = cluster.at("gamma").signUp("vera", VICTIM_CPF);
    veraAccount = open("gamma", vera);
    cluster.at("gamma").as(vera).deposit(DepositRequest.newBuilder().setAccount(veraAccount).setAmountCents(100_000)
        .build());
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  String open(String bank, String token) {
    return cluster.at(bank).as(token).openAccount(OpenAccountRequest.newBuilder()
        .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
  }

  long balance(String account) {
    return cluster.at("gamma").as(vera).getBalance(GetBalanceRequest.newBuilder().setAccount(account).build())
        .getBalanceCents();
  }

  static TransferRequest transfer(String from, String to, long cents) {
    return TransferRequest.newBuilder().addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER)
        .setFromAccount(from).setToAccount(to).setAmountCents(cents)).setRequestId(UUID.randomUUID().toString())
        .build();
  }

  static StatusRuntimeException refused(Status.Code code, String reason,
      org.junit.jupiter.api.function.Executable call) {
    var e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    assertEquals(reason, reason(e), e.getStatus().toString());
    return e;
  }

  GrantConsentRequest.Builder grant(String grantee) {
    return GrantConsentRequest.newBuilder().setAccount(veraAccount).setGrantee(grantee);
  }

  @Test
  void strangerWithTheVictimsCpf_atAnotherBank_cannotDebitTheVictim() {
    // The attack that worked: a CPF is unique only inside one bank, so anyone may register the victim's at alpha.
    String mallory = cluster.at("alpha").signUp("mallory", VICTIM_CPF);
    String malloryAccount = open("alpha", mallory);

    var e = refused(Status.Code.PERMISSION_DENIED, "CONSENT_REQUIRED",
        () -> cluster.at("alpha").as(mallory).transfer(transfer(veraAccount, malloryAccount, 50_000)));

    assertTrue(e.getStatus().getDescription().contains(veraAccount), e.getStatus().getDescription());
    assertEquals(100_000, balance(veraAccount), "nothing moved");
    assertEquals(0, cluster.at("alpha").as(mallory).getBalance(GetBalanceRequest.newBuilder()
        .setAccount(malloryAccount).build()).getBalanceCents());
    assertEquals(100_000, cluster.at("gamma").as(vera).getBalance(GetBalanceRequest.newBuilder()
        .setAccount(veraAccount).build()).getAvailableCents(), "no hold left behind");
  }

  @Test
  void strangerWithTheVictimsLogin_atTheGranteesBank_isNotTheGrantee() {
    // vera grants her own login at beta; a stranger who registered "vera" at delta is somebody else.
    String veraAtBeta = cluster.at("beta").signUp("vera", VICTIM_CPF);
    cluster.at("gamma").grantConsent(vera, veraAccount, "beta:vera");
    String impostor = cluster.at("delta").signUp("vera", Cpfs.cpf(999));
    String impostorAccount = open("delta", impostor);

    refused(Status.Code.PERMISSION_DENIED, "CONSENT_REQUIRED",
        () -> cluster.at("delta").as(impostor).transfer(transfer(veraAccount, impostorAccount, 100)));
    cluster.at("beta").as(veraAtBeta).transfer(transfer(veraAccount, impostorAccount, 100));

    assertEquals(99_900, balance(veraAccount), "only the grantee's debit applied");
  }

  @Test
  void withConsent_debitsWithinLimits_statementNamesTheConsent_revokeStopsIt() {
    String caio = cluster.at("alpha").signUp("caio", Cpfs.cpf(31));
    String caioAccount = open("alpha", caio);
    var consent = cluster.at("gamma").as(vera).grantConsent(grant("alpha:caio").setLimitPerTransactionCents(20_000)
        .setTotalLimitCents(30_000).build()).getConsent();
    assertEquals(ConsentState.CONSENT_STATE_ACTIVE, consent.getState());
    assertEquals("vera", consent.getGrantedBy());

    cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 20_000));
    var perTransaction = refused(Status.Code.PERMISSION_DENIED, "CONSENT_LIMIT_EXCEEDED",
        () -> cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 20_001)));
    assertTrue(perTransaction.getStatus().getDescription().contains("one transaction"));
    cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 9_000));
    refused(Status.Code.PERMISSION_DENIED, "CONSENT_LIMIT_EXCEEDED",
        () -> cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 1_001)));
    assertEquals(71_000, balance(veraAccount));

    var listed = cluster.at("gamma").as(vera).listConsents(ListConsentsRequest.newBuilder().setAccount(veraAccount)
        .build()).getConsents(0);
    assertEquals(29_000, listed.getUsedCents());
    assertEquals(0, listed.getReservedCents());
    var entries = cluster.at("gamma").as(vera).getStatement(GetStatementRequest.newBuilder().setAccount(veraAccount)
        .build()).getEntriesList();
    var debit = entries.get(1);
    assertEquals(-20_000, debit.getAmountCents());
    assertEquals("caio@alpha", debit.getInitiator());
    assertEquals(consent.getId(), debit.getConsentId());
    assertEquals("vera@gamma", entries.get(0).getInitiator(), "the deposit was vera's own");
    assertEquals(0, entries.get(0).getConsentId());

    var revoked = cluster.at("gamma").as(vera).revokeConsent(RevokeConsentRequest.newBuilder()
        .setAccount(veraAccount).setGrantee("alpha:caio").build()).getConsent();
    assertEquals(ConsentState.CONSENT_STATE_REVOKED, revoked.getState());
    refused(Status.Code.PERMISSION_DENIED, "CONSENT_REQUIRED",
        () -> cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 1)));
    assertEquals(71_000, balance(veraAccount));
  }

  @Test
  void expiredConsent_refusedAsExpired() throws Exception {
    String caio = cluster.at("alpha").signUp("caio", Cpfs.cpf(31));
    String caioAccount = open("alpha", caio);
    long expiresAt = System.currentTimeMillis() + 1_500;
    cluster.at("gamma").as(vera).grantConsent(grant("alpha:caio").setExpireTime(Timestamp.newBuilder()
        .setSeconds(expiresAt / 1000).setNanos((int) (expiresAt % 1000) * 1_000_000)).build());
    cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 100));

    Thread.sleep(Math.max(0, expiresAt - System.currentTimeMillis()) + 300);

    refused(Status.Code.PERMISSION_DENIED, "CONSENT_EXPIRED",
        () -> cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 100)));
    assertEquals(ConsentState.CONSENT_STATE_EXPIRED, cluster.at("gamma").as(vera).listConsents(
        ListConsentsRequest.newBuilder().setAccount(veraAccount).build()).getConsents(0).getState());
    assertEquals(99_900, balance(veraAccount));
  }

  @Test
  void concurrentDebits_fromTwoBanks_neverExceedTheTotal() throws Exception {
    String caioAtAlpha = cluster.at("alpha").signUp("caio", Cpfs.cpf(31));
    String caioAtBeta = cluster.at("beta").signUp("caio", Cpfs.cpf(31));
    String target = open("alpha", caioAtAlpha);
    cluster.at("gamma").as(vera).grantConsent(grant("alpha:caio").setTotalLimitCents(1_000).build());
    cluster.at("gamma").as(vera).grantConsent(grant("beta:caio").setTotalLimitCents(1_000).build());
    var pool = Executors.newFixedThreadPool(8);
    var committed = new AtomicInteger();
    var futures = new ArrayList<Future<?>>();
    for (int i = 0; i < 40; i++) {
      String bank = i % 2 == 0 ? "alpha" : "beta";
      String token = i % 2 == 0 ? caioAtAlpha : caioAtBeta;
      futures.add(pool.submit(() -> {
        try {
          cluster.at(bank).as(token).transfer(transfer(veraAccount, target, 100));
          committed.incrementAndGet();
        } catch (StatusRuntimeException e) {
          assertEquals("CONSENT_LIMIT_EXCEEDED", reason(e), e.getStatus().toString());
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();

    assertEquals(20, committed.get(), "each consent allows exactly ten debits of 1.00");
    assertEquals(100_000 - 2_000, balance(veraAccount));
    for (Consent c : cluster.at("gamma").as(vera).listConsents(ListConsentsRequest.newBuilder()
        .setAccount(veraAccount).build()).getConsentsList()) {
      assertEquals(1_000, c.getUsedCents(), c.toString());
      assertEquals(ConsentState.CONSENT_STATE_EXHAUSTED, c.getState());
    }
    assertTrue(cluster.at("delta").admin("test-admin-token").audit(AuditRequest.getDefaultInstance()).getBalanced());
  }

  @Test
  void sameRequestId_throughAnotherCoordinator_isRefusedNamingTheFirst() {
    String caioAtAlpha = cluster.at("alpha").signUp("caio", Cpfs.cpf(31));
    String caioAtBeta = cluster.at("beta").signUp("caio", Cpfs.cpf(31));
    String target = open("alpha", caioAtAlpha);
    cluster.at("gamma").grantConsent(vera, veraAccount, "alpha:caio");
    cluster.at("gamma").grantConsent(vera, veraAccount, "beta:caio");
    var request = transfer(veraAccount, target, 700);

    var first = cluster.at("alpha").as(caioAtAlpha).transfer(request).getReceipt();
    var e = refused(Status.Code.ALREADY_EXISTS, "REQUEST_ID_REUSED",
        () -> cluster.at("beta").as(caioAtBeta).transfer(request));

    assertTrue(e.getStatus().getDescription().contains(first.getTransactionId()), e.getStatus().getDescription());
    assertEquals(100_000 - 700, balance(veraAccount), "applied once");
    assertTrue(cluster.at("alpha").as(caioAtAlpha).transfer(request).getReceipt().getReplayed(),
        "the bank first called still replays it");
  }

  @Test
  void grantRules_refusedInPrecedenceOrder() {
    String caio = cluster.at("alpha").signUp("caio", Cpfs.cpf(31));
    String caioAccount = open("alpha", caio);
    var gamma = cluster.at("gamma").as(vera);
    refused(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
        () -> cluster.at("gamma").anonymous().grantConsent(grant("alpha:caio").build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_ACCOUNT_ID",
        () -> gamma.grantConsent(grant("alpha:caio").setAccount("\u0000" + veraAccount).build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_GRANTEE", () -> gamma.grantConsent(grant("caio").build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_GRANTEE",
        () -> gamma.grantConsent(grant("alpha:caio\u202E").build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_GRANTEE", () -> gamma.grantConsent(grant("omega:caio").build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_GRANTEE", () -> gamma.grantConsent(grant("gamma:caio").build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_AMOUNT",
        () -> gamma.grantConsent(grant("alpha:caio").setTotalLimitCents(-1).build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_EXPIRE_TIME", () -> gamma.grantConsent(grant("alpha:caio")
        .setExpireTime(Timestamp.newBuilder().setSeconds(1)).build()));
    refused(Status.Code.INVALID_ARGUMENT, "INVALID_EXPIRE_TIME", () -> gamma.grantConsent(grant("alpha:caio")
        .setExpireTime(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build()));
    refused(Status.Code.NOT_FOUND, "CONSENT_NOT_FOUND", () -> gamma.revokeConsent(RevokeConsentRequest.newBuilder()
        .setAccount(veraAccount).setGrantee("alpha:caio").build()));
    // Somebody else's account: the stranger may neither grant on it nor see its consents.
    String bia = cluster.at("gamma").signUp("bia", Cpfs.cpf(55));
    refused(Status.Code.PERMISSION_DENIED, "NOT_ACCOUNT_HOLDER",
        () -> cluster.at("gamma").as(bia).grantConsent(grant("alpha:caio").build()));
    refused(Status.Code.PERMISSION_DENIED, "NOT_ACCOUNT_HOLDER", () -> cluster.at("gamma").as(bia)
        .listConsents(ListConsentsRequest.newBuilder().setAccount(veraAccount).build()));
    assertEquals(0, gamma.listConsents(ListConsentsRequest.newBuilder().setAccount(veraAccount).build())
        .getConsentsCount(), "no refused grant left anything behind");

    // A second grant to the same grantee replaces the first.
    long first = cluster.at("gamma").grantConsent(vera, veraAccount, "alpha:caio");
    var second = gamma.grantConsent(grant("alpha:caio").setTotalLimitCents(5).build()).getConsent();
    var all = gamma.listConsents(ListConsentsRequest.newBuilder().setAccount(veraAccount).build()).getConsentsList();
    assertEquals(List.of(second.getId(), first), all.stream().map(Consent::getId).toList(), "newest first");
    assertEquals(ConsentState.CONSENT_STATE_REPLACED, all.get(1).getState());
    refused(Status.Code.PERMISSION_DENIED, "CONSENT_LIMIT_EXCEEDED",
        () -> cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 6)));
  }

  @Test
  void consents_surviveARestart_withWhatTheyUsed() throws Exception {
    String caio = cluster.at("alpha").signUp("caio", Cpfs.cpf(31));
    String caioAccount = open("alpha", caio);
    cluster.at("gamma").as(vera).grantConsent(grant("alpha:caio").setTotalLimitCents(500).build());
    cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 300));

    cluster.stop("gamma");
    cluster.start("gamma");
    cluster.awaitAllUp();

    var c = cluster.at("gamma").as(vera).listConsents(ListConsentsRequest.newBuilder().setAccount(veraAccount)
        .build()).getConsents(0);
    assertEquals(300, c.getUsedCents());
    refused(Status.Code.PERMISSION_DENIED, "CONSENT_LIMIT_EXCEEDED",
        () -> cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 201)));
    cluster.at("alpha").as(caio).transfer(transfer(veraAccount, caioAccount, 200));
    assertEquals(100_000 - 500, balance(veraAccount));
  }
}
