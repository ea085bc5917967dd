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
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid requests cannot brick a bank (DESIGN §5, applying never fails). The sequence that did — on one account, a
 * transaction of 64 deposits of the largest amount, then one of 64 such withdrawals, again and again — overflowed the
 * bank's int64 running deposit total while applying, after ~144 rounds; the node died and never restarted. The
 * running totals are exact integers now, so the same sequence runs past what an int64 holds, the audit stays exact,
 * and the node restarts; the one cap left, an account's balance, is checked at vote time and refused clearly.
 */
class BankLimitsTest {
  static final long MAX_LEG = 1_000_000_000_000_000L;
  static final long MAX_BALANCE = 1_000_000_000_000_000_000L;
  /** Rounds past the one where an int64 deposit total overflowed (Long.MAX_VALUE / (64 * MAX_LEG) = 144). */
  static final int ROUNDS = 150;
  @TempDir Path dir;

  static TransferRequest sixtyFour(LegKind kind, String account) {
    var request = TransferRequest.newBuilder();
    for (int i = 0; i < 64; i++) {
      var leg = Leg.newBuilder().setKind(kind).setAmountCents(MAX_LEG);
      request.addLegs(kind == LegKind.LEG_KIND_DEPOSIT ? leg.setToAccount(account) : leg.setFromAccount(account));
    }
    return request.build();
  }

  @Test
  void maximalDepositsAndWithdrawals_pastAnInt64Total_auditExact_nodeServesAndRestarts() throws Exception {
    try (var cluster = new LocalCluster(dir, List.of("alpha", "beta"))) {
      String ana = cluster.at("alpha").signUp("ana", Cpfs.cpf(8));
      String account = cluster.at("alpha").as(ana).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      var alpha = cluster.at("alpha").as(ana);

      for (int round = 0; round < ROUNDS; round++) {
        alpha.transfer(sixtyFour(LegKind.LEG_KIND_DEPOSIT, account));
        alpha.transfer(sixtyFour(LegKind.LEG_KIND_WITHDRAWAL, account));
      }
      BigInteger moved = BigInteger.valueOf(64 * MAX_LEG).multiply(BigInteger.valueOf(ROUNDS));
      assertTrue(moved.bitLength() >= Long.SIZE, "the totals are past what an int64 holds: " + moved);
      assertServing(cluster, "alpha");
      var audit = cluster.at("beta").admin("test-admin-token").audit(AuditRequest.getDefaultInstance());
      assertTrue(audit.getBalanced(), audit.toString());
      assertEquals(moved.toString(), audit.getExactDepositsCents());
      assertEquals(moved.toString(), audit.getExactWithdrawalsCents());
      assertEquals("0", audit.getExactTotalBalanceCents());
      assertEquals(0, audit.getDepositsCents(), "the int64 field is left 0 once the total no longer fits");

      // The balance cap: deposits up to it pass, the next cent is refused at vote time, as is a credit from beta.
      for (int i = 0; i < MAX_BALANCE / (64 * MAX_LEG); i++) {
        alpha.transfer(sixtyFour(LegKind.LEG_KIND_DEPOSIT, account));
      }
      var fill = TransferRequest.newBuilder();
      for (long left = MAX_BALANCE % (64 * MAX_LEG); left > 0; left -= MAX_LEG) {
        fill.addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_DEPOSIT).setToAccount(account)
            .setAmountCents(MAX_LEG));
      }
      alpha.transfer(fill.build());
      assertEquals(MAX_BALANCE, alpha.getBalance(GetBalanceRequest.newBuilder().setAccount(account).build())
          .getBalanceCents());
      var full = assertThrows(StatusRuntimeException.class, () -> alpha.deposit(DepositRequest.newBuilder()
          .setAccount(account).setAmountCents(1).build()));
      assertEquals("BALANCE_OVERFLOW", reason(full), full.getStatus().toString());
      assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, full.getStatus().getCode());
      String bia = cluster.at("beta").signUp("bia", Cpfs.cpf(9));
      var beta = cluster.at("beta").as(bia);
      String biaAccount = beta.openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      beta.deposit(DepositRequest.newBuilder().setAccount(biaAccount).setAmountCents(100).build());
      var credit = assertThrows(StatusRuntimeException.class, () -> beta.transfer(TransferRequest.newBuilder()
          .addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(biaAccount)
              .setToAccount(account).setAmountCents(1)).build()));
      assertEquals("BALANCE_OVERFLOW", reason(credit));
      assertEquals(100, beta.getBalance(GetBalanceRequest.newBuilder().setAccount(biaAccount).build())
          .getBalanceCents(), "beta's side of the refused transfer was released");

      cluster.stop("alpha");
      cluster.start("alpha");
      cluster.awaitAllUp();
      assertServing(cluster, "alpha");
      assertEquals(MAX_BALANCE, cluster.at("alpha").as(ana).getBalance(GetBalanceRequest.newBuilder()
          .setAccount(account).build()).getBalanceCents(), "recovered exactly");
      var after = cluster.at("alpha").admin("test-admin-token").audit(AuditRequest.getDefaultInstance());
      assertTrue(after.getBalanced(), after.toString());
      assertEquals(moved.add(BigInteger.valueOf(MAX_BALANCE + 100)).toString(), after.getExactDepositsCents());
      cluster.at("alpha").as(ana).withdraw(WithdrawRequest.newBuilder().setAccount(account).setAmountCents(MAX_LEG)
          .build());
    }
  }

  private static void assertServing(LocalCluster cluster, String bank) {
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(cluster.at(bank).channel())
        .check(HealthCheckRequest.getDefaultInstance()).getStatus());
  }
}
