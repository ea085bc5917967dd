package dev.distribank.node;

import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.*;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid requests cannot brick a bank (DESIGN §5, applying never fails). The sequence that did — on one account, a
 * transaction of 64 deposits of the largest amount, then one of 64 such withdrawals, again and again — used to
 * overflow the bank's running deposit total while applying, after postings were made; the node died and never
 * restarted. Now every cap (the bank's deposit and withdrawal totals, an account's balance) is checked at vote time:
 * the run hits each one, is refused clearly each time, keeps serving, audits exactly, and restarts.
 */
class BankLimitsTest {
  static final long MAX_LEG = 1_000_000_000_000_000L;
  static final long CAP = 100_000_000_000_000_000L;
  @TempDir Path dir;

  static TransferRequest sixtyFour(LegKind kind, String account) {
    var request = TransferRequest.newBuilder();
    for (int i = 0; i < 64; i++) {
      var leg = Leg.newBuilder().setKind(kind).setAmountCents(MAX_LEG);
      request.addLegs(kind == LegKind.LEG_KIND_DEPOSIT ? leg.setToAccount(account) : leg.setFromAccount(account));
    }
    return request.build();
  }

  static void refusedAsLimit(String reason, org.junit.jupiter.api.function.Executable call) {
    var e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(reason, reason(e), e.getStatus().toString());
    assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
  }

  @Test
  void maximalDepositsAndWithdrawals_untilEveryCap_refusedClearly_nodeServesAndRestarts() throws Exception {
    try (var cluster = new LocalCluster(dir, List.of("alpha", "beta"))) {
      String ana = cluster.at("alpha").signUp("ana", Cpfs.cpf(8));
      String account = cluster.at("alpha").as(ana).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      var alpha = cluster.at("alpha").as(ana);

      int rounds = 0;
      while (true) {
        try {
          alpha.transfer(sixtyFour(LegKind.LEG_KIND_DEPOSIT, account));
        } catch (StatusRuntimeException e) {
          assertEquals("BANK_LIMIT_EXCEEDED", reason(e), e.getStatus().toString());
          assertTrue(e.getStatus().getDescription().contains("deposits"), e.getStatus().getDescription());
          break;
        }
        alpha.transfer(sixtyFour(LegKind.LEG_KIND_WITHDRAWAL, account));
        rounds++;
        assertTrue(rounds < 200, "the deposit cap was never reached");
      }
      assertEquals(CAP / (64 * MAX_LEG), rounds, "refused on the round that would pass the cap, not before");

      // Fill the deposit total to exactly its cap: the account's balance cap is the same, so it is full too.
      long headroom = CAP - rounds * 64 * MAX_LEG;
      var fill = TransferRequest.newBuilder();
      for (long left = headroom; left > 0; left -= Math.min(left, MAX_LEG)) {
        fill.addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_DEPOSIT).setToAccount(account)
            .setAmountCents(Math.min(left, MAX_LEG)));
      }
      alpha.transfer(fill.build());
      refusedAsLimit("BANK_LIMIT_EXCEEDED", () -> alpha.deposit(DepositRequest.newBuilder().setAccount(account)
          .setAmountCents(1).build()));

      // Credits from another bank fill the balance to its cap, and one more cent is refused.
      String bia = cluster.at("beta").signUp("bia", Cpfs.cpf(9));
      var beta = cluster.at("beta").as(bia);
      String biaAccount = beta.openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      beta.transfer(sixtyFour(LegKind.LEG_KIND_DEPOSIT, biaAccount));
      var toAna = TransferRequest.newBuilder();
      for (int i = 0; i < 64; i++) {
        toAna.addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(biaAccount)
            .setToAccount(account).setAmountCents(MAX_LEG));
      }
      beta.transfer(toAna.build());
      assertEquals(CAP, alpha.getBalance(GetBalanceRequest.newBuilder().setAccount(account).build())
          .getBalanceCents());
      beta.deposit(DepositRequest.newBuilder().setAccount(biaAccount).setAmountCents(1).build());
      refusedAsLimit("BALANCE_OVERFLOW", () -> beta.transfer(TransferRequest.newBuilder()
          .addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(biaAccount)
              .setToAccount(account).setAmountCents(1)).build()));

      // Withdrawals up to the withdrawal total's cap pass; the next cent is refused although funds remain.
      var rest = TransferRequest.newBuilder();
      for (long left = headroom; left > 0; left -= Math.min(left, MAX_LEG)) {
        rest.addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_WITHDRAWAL).setFromAccount(account)
            .setAmountCents(Math.min(left, MAX_LEG)));
      }
      alpha.transfer(rest.build());
      refusedAsLimit("BANK_LIMIT_EXCEEDED", () -> alpha.withdraw(WithdrawRequest.newBuilder().setAccount(account)
          .setAmountCents(1).build()));
      long left = CAP - headroom;

      assertServing(cluster, "alpha");
      var audit = cluster.at("beta").admin("test-admin-token").audit(AuditRequest.getDefaultInstance());
      assertTrue(audit.getBalanced(), audit.toString());
      assertEquals(CAP + 64 * MAX_LEG + 1, audit.getDepositsCents());
      assertEquals(CAP, audit.getWithdrawalsCents());

      cluster.stop("alpha");
      cluster.start("alpha");
      assertServing(cluster, "alpha");
      assertEquals(left, cluster.at("alpha").as(ana).getBalance(GetBalanceRequest.newBuilder().setAccount(account)
          .build()).getBalanceCents(), "recovered exactly");
      refusedAsLimit("BANK_LIMIT_EXCEEDED", () -> cluster.at("alpha").as(ana).deposit(DepositRequest.newBuilder()
          .setAccount(account).setAmountCents(1).build()));
      assertTrue(cluster.at("alpha").admin("test-admin-token").audit(AuditRequest.getDefaultInstance())
          .getBalanced());
    }
  }

  private static void assertServing(LocalCluster cluster, String bank) {
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(cluster.at(bank).channel())
        .check(HealthCheckRequest.getDefaultInstance()).getStatus());
  }
}
