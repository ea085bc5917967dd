package dev.distribank.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.ListOperationsResponse;
import dev.distribank.proto.bank.v1.Operation;
import dev.distribank.proto.bank.v1.OperationStatus;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger check on made-up operation logs, since real banks cannot be made to lose a transaction on demand. */
class LedgerCheckTest {
  private static final Leg ALPHA_TO_BETA = Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER)
      .setFromAccount("alpha:1").setToAccount("beta:pix:bia@example.com").setAmountCents(100).build();

  private final Map<String, List<Operation>> logs = new LinkedHashMap<>(Map.of("alpha", new ArrayList<>(),
      "beta", new ArrayList<>()));
  private final LedgerCheck.Acknowledged acknowledged = new LedgerCheck.Acknowledged();

  private void log(String bank, String txn, OperationStatus status, String principal) {
    logs.get(bank).add(Operation.newBuilder().setTransactionId(txn).setStatus(status).setPrincipal(principal)
        .addLegs(ALPHA_TO_BETA).build());
  }

  private void committedAtBoth(String txn) {
    log("alpha", txn, OperationStatus.OPERATION_STATUS_COMMITTED, "load-7@alpha");
    log("beta", txn, OperationStatus.OPERATION_STATUS_COMMITTED, "load-7@alpha");
  }

  private void acknowledge(String txn) {
    acknowledged.add(TransactionReceipt.newBuilder().setTransactionId(txn).addLegs(ALPHA_TO_BETA).build());
  }

  /** Serves each log newest first, two operations a page, as ListOperations pages it. */
  private LedgerCheck.Result check() {
    var pages = new LinkedHashMap<String, LedgerCheck.OperationLog>();
    logs.forEach((bank, ops) -> pages.put(bank, token -> {
      int from = token.isEmpty() ? 0 : Integer.parseInt(token);
      int to = Math.min(ops.size(), from + 2);
      return ListOperationsResponse.newBuilder().addAllOperations(ops.subList(from, to))
          .setNextPageToken(to < ops.size() ? Integer.toString(to) : "").build();
    }));
    return new LedgerCheck(pages, "load-7").run(acknowledged);
  }

  @Test
  void everyAcknowledgedCommittedOnceAtEveryBank_passes() {
    for (int i = 0; i < 5; i++) {
      committedAtBoth("alpha-" + i);
      acknowledge("alpha-" + i);
    }
    // Someone else's traffic and an unacknowledged abort of ours are fine.
    log("alpha", "alpha-99", OperationStatus.OPERATION_STATUS_COMMITTED, "ana@alpha");
    log("alpha", "alpha-98", OperationStatus.OPERATION_STATUS_ABORTED, "load-7@alpha");
    LedgerCheck.Result r = check();
    assertTrue(r.passed(), r::toString);
    assertEquals(5, r.acknowledged());
    assertEquals(5, r.verified());
    assertEquals(6, r.transactionsChecked());
    assertEquals(12, r.operationsRead());
  }

  @Test
  void acknowledgedButMissingAtOneBank_fails() {
    committedAtBoth("alpha-1");
    acknowledge("alpha-1");
    log("alpha", "alpha-2", OperationStatus.OPERATION_STATUS_COMMITTED, "load-7@alpha");
    acknowledge("alpha-2");
    LedgerCheck.Result r = check();
    assertFalse(r.passed());
    assertEquals(1, r.missing(), r::toString);
    assertEquals(1, r.verified());
    // Committed at alpha, nowhere at beta: I3 too.
    assertEquals(1, r.atomicityViolations(), r::toString);
    assertTrue(r.problems().contains("acknowledged alpha-2 is missing at beta"), r::toString);
  }

  @Test
  void acknowledgedButAbortedOrTwice_fails() {
    log("alpha", "alpha-1", OperationStatus.OPERATION_STATUS_COMMITTED, "load-7@alpha");
    log("beta", "alpha-1", OperationStatus.OPERATION_STATUS_ABORTED, "");
    acknowledge("alpha-1");
    committedAtBoth("alpha-2");
    log("beta", "alpha-2", OperationStatus.OPERATION_STATUS_COMMITTED, "load-7@alpha");
    acknowledge("alpha-2");
    LedgerCheck.Result r = check();
    assertFalse(r.passed());
    assertEquals(1, r.contradicted(), r::toString);
    assertEquals(1, r.duplicated(), r::toString);
    assertEquals(1, r.atomicityViolations(), r::toString);
  }

  @Test
  void unacknowledgedCommittedAtOneBankOnly_i3Broken() {
    // A transfer whose answer was lost: not acknowledged, but the banks still must agree on it.
    log("alpha", "alpha-3", OperationStatus.OPERATION_STATUS_COMMITTED, "load-7@alpha");
    LedgerCheck.Result r = check();
    assertFalse(r.passed());
    assertEquals(0, r.missing());
    assertEquals(1, r.atomicityViolations(), r::toString);
  }

  @Test
  void sameTransactionIdInTwoReceipts_fails() {
    committedAtBoth("alpha-1");
    acknowledge("alpha-1");
    acknowledge("alpha-1");
    LedgerCheck.Result r = check();
    assertFalse(r.passed());
    assertEquals(1, r.acknowledgedTwice());
  }
}
