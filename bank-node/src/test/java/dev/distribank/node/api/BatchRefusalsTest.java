package dev.distribank.node.api;

import static dev.distribank.node.api.RefusalTable.assertRefused;
import static dev.distribank.node.api.RefusalTable.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distribank.proto.bank.v1.SubmitTransactionsRequest;
import dev.distribank.proto.bank.v1.SubmitTransactionsResponse;
import dev.distribank.proto.bank.v1.TransactionResult;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SubmitTransactions refused, as a whole and one transaction at a time. A batch is refused as a whole only for what
 * concerns all of it — the caller first, then the number of transactions; every other refusal answers one
 * transaction in its place, exactly as a unary Transfer would have been answered (the rows are
 * {@link MoneyRefusalsTest}'s), its field path prefixed {@code transactions[i].} (AIP-193).
 */
class BatchRefusalsTest extends RefusalTables {
  /**
   * One transaction a row's caller sends, and how it is refused; {@code field} as a Transfer names it. In one batch a
   * transaction sees the holds of the earlier ones still in flight, so the rows that hold alpha:1001's funds while
   * another bank votes (the credits to beta) come after every row about alpha:1001's available balance.
   */
  static final String TRANSACTIONS = """
      # as   | transaction                                                           | code                | reason                 | field                | metadata                  | says
      ana    | request_id: 'x'                                                       | INVALID_ARGUMENT    | INVALID_REQUEST_ID     | request_id           |                           | request_id must be a UUID
      ana    |                                                                       | INVALID_ARGUMENT    | NO_LEGS                | legs                 |                           | at least one leg
      ana    | legs { amount_cents: 0 } $LEGS65                                      | INVALID_ARGUMENT    | TOO_MANY_LEGS          | legs                 |                           | at most 64 legs, got 66
      ana    | legs { amount_cents: 0 from_account: 'alpha:1001' to_account: 'alpha:1002' } | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].kind         | leg=0                     | leg 0 needs a kind
      ana    | legs { $T amount_cents: 0 }                                           | INVALID_ARGUMENT    | INVALID_AMOUNT         | legs[0].amount_cents | leg=0                     | got 0
      ana    | legs { $T amount_cents: 1 to_account: 'alpha:1002' }                  | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].from_account | leg=0                     | needs from_account
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:x' to_account: 'bad' } | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID     | legs[0].from_account | leg=0                     | 'alpha:x' is not an account
      ana    | $LEG_OK legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:1002$RLO' } | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID     | legs[1].to_account   | code_point=U+202E; leg=1  | the destination has the forbidden character U+202E
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:1001' } | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].to_account   | leg=0                     | to itself
      ana    | legs { $T amount_cents: 1 from_account: 'omega:1' to_account: 'alpha:1002' } request_id: '$USED_ID' | ALREADY_EXISTS      | REQUEST_ID_REUSED      | request_id           |                           | already used for a different transaction
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'omega:1001' } | NOT_FOUND           | BANK_NOT_FOUND         | legs[0].to_account   | bank=omega; leg=0         | leg 0 names bank 'omega'
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:9999' to_account: 'alpha:1002' } | NOT_FOUND           | ACCOUNT_NOT_FOUND      | legs[0].from_account | account=alpha:9999; leg=0 | no account alpha:9999
      ana    | legs { $T amount_cents: 5000 from_account: 'alpha:1002' to_account: 'alpha:9999' } | PERMISSION_DENIED   | NOT_ACCOUNT_HOLDER     | legs[0].from_account | account=alpha:1002; leg=0 | ana is not a holder of account alpha:1002
      ana    | legs { $T amount_cents: 5000 from_account: 'alpha:1001' to_account: 'alpha:9999' } legs { $T amount_cents: 1 from_account: 'alpha:1002' to_account: 'alpha:1001' } | FAILED_PRECONDITION | INSUFFICIENT_FUNDS     | legs[0].amount_cents | account=alpha:1001; available_cents=1000; leg=0; needed_cents=5000 | the transaction needs 5000
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:9999' } | NOT_FOUND           | ACCOUNT_NOT_FOUND      | legs[0].to_account   | account=alpha:9999; leg=0 | no account alpha:9999
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:pix:nobody@example.com' } | NOT_FOUND           | PIX_KEY_NOT_FOUND      | legs[0].to_account   | leg=0                     | no PIX key 'nobody@example.com' at bank alpha
      ana    | $LEG_400 $LEG_400 $LEG_400                                            | FAILED_PRECONDITION | INSUFFICIENT_FUNDS     | legs[2].amount_cents | account=alpha:1001; available_cents=1000; leg=2; needed_cents=1200 | leg 2: account alpha:1001 has 1000 cents available, the transaction needs 1200
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'beta:9999' } | NOT_FOUND           | ACCOUNT_NOT_FOUND      | legs[0].to_account   | account=beta:9999; leg=0  | no account beta:9999 at bank beta
      dora   | $LEG_OK                                                               | PERMISSION_DENIED   | CONSENT_REQUIRED       | legs[0].from_account | account=alpha:1001; grantee=beta:dora; leg=0 | beta:dora may not debit alpha:1001
      dora   | legs { $T amount_cents: 2 from_account: 'alpha:1001' to_account: 'alpha:1002' } | PERMISSION_DENIED   | CONSENT_REQUIRED       | legs[0].from_account | account=alpha:1001; grantee=beta:dora; leg=0 | beta:dora may not debit alpha:1001
      caio   | legs { $T amount_cents: 60 from_account: 'alpha:1001' to_account: 'alpha:1002' } legs { $T amount_cents: 41 from_account: 'alpha:1001' to_account: 'alpha:1002' } | PERMISSION_DENIED   | CONSENT_LIMIT_EXCEEDED | legs[1].amount_cents | account=alpha:1001; consent_id=1; leg=1; limit_per_transaction_cents=100; needed_cents=101 | this one needs 101
      caio   | legs { $T amount_cents: 101 from_account: 'alpha:1001' to_account: 'alpha:1002' } | PERMISSION_DENIED   | CONSENT_LIMIT_EXCEEDED | legs[0].amount_cents | account=alpha:1001; consent_id=1; leg=0; limit_per_transaction_cents=100; needed_cents=101 | this one needs 101
      """;


  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                              | code             | reason                | field        | metadata | says
      nobody |                                      | UNAUTHENTICATED  | UNAUTHENTICATED       |              |          | sign in first
      nobody | transactions { request_id: 'x' }     | UNAUTHENTICATED  | UNAUTHENTICATED       |              |          | sign in first
      stale  | $BATCH8191                           | UNAUTHENTICATED  | UNAUTHENTICATED       |              |          | unknown or was revoked
      ana    |                                      | INVALID_ARGUMENT | NO_TRANSACTIONS       | transactions |          | a batch needs at least one transaction
      ana    | $BATCH8191                           | INVALID_ARGUMENT | TOO_MANY_TRANSACTIONS | transactions |          | a batch has at most 8190 transactions, got 8191
      """)
  void wholeBatch(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).submitTransactions(request(text,
        SubmitTransactionsRequest.getDefaultInstance())), code, reason, field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = TRANSACTIONS)
  void oneTransaction(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    TransferRequest transaction = request(text, TransferRequest.getDefaultInstance());
    SubmitTransactionsResponse response = bank.bank(as).submitTransactions(SubmitTransactionsRequest.newBuilder()
        .addTransactions(transaction).build());

    assertEquals(1, response.getResultsCount(), response::toString);
    assertRefusedAt(0, transaction, response.getResults(0), new Row(as, text, code, reason, field, metadata, says));
  }

  @Test
  void everyRowOfACaller_inOneBatch_eachAnsweredInItsPlaceAsAlone() {
    var byCaller = new TreeMap<String, List<Row>>();
    Row.parse(TRANSACTIONS).forEach(row -> byCaller.computeIfAbsent(row.as(), as -> new ArrayList<>()).add(row));
    for (Map.Entry<String, List<Row>> caller : byCaller.entrySet()) {
      var batch = SubmitTransactionsRequest.newBuilder();
      caller.getValue().forEach(row -> batch.addTransactions(request(row.transaction(),
          TransferRequest.getDefaultInstance())));
      SubmitTransactionsResponse response = bank.bank(caller.getKey()).submitTransactions(batch.build());

      assertEquals(batch.getTransactionsCount(), response.getResultsCount(), response::toString);
      for (int i = 0; i < response.getResultsCount(); i++) {
        assertRefusedAt(i, batch.getTransactions(i), response.getResults(i), caller.getValue().get(i));
      }
    }
  }

  /** Result {@code i} answers its transaction with exactly the row's refusal, its field named from the batch. */
  private static void assertRefusedAt(int i, TransferRequest sent, TransactionResult result, Row row) {
    assertEquals(i, result.getIndex(), result::toString);
    assertEquals(sent.getRequestId(), result.getRequestId(), result::toString);
    assertEquals(TransactionResult.OutcomeCase.ERROR, result.getOutcomeCase(), result::toString);
    String field = row.field() == null || row.field().isEmpty() ? row.field() : "transactions[" + i + "]."
        + row.field();
    assertRefused(() -> {
      throw StatusProto.toStatusRuntimeException(result.getError());
    }, row.code(), row.reason(), field, row.metadata(), row.says());
  }

  /** A row of {@link #TRANSACTIONS}, read back as JUnit reads it: cells split on '|', blank cells null. */
  record Row(String as, String transaction, Status.Code code, String reason, String field, String metadata,
      String says) {
    static List<Row> parse(String table) {
      return table.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .map(line -> {
            String[] c = line.split("\\|", -1);
            for (int k = 0; k < c.length; k++) {
              c[k] = c[k].strip().isEmpty() ? null : c[k].strip();
            }
            return new Row(c[0], c[1], Status.Code.valueOf(c[2]), c[3], c[4], c[5], c[6]);
          }).toList();
    }
  }
}
