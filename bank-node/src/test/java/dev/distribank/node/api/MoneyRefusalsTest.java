package dev.distribank.node.api;

import static dev.distribank.node.api.RefusalTable.assertRefused;
import static dev.distribank.node.api.RefusalTable.request;

import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.bank.v1.WithdrawRequest;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deposit, Withdraw and Transfer refused, one table per request in precedence order: the caller, the request id, the
 * shape (legs, amounts, accounts), then what the banks know (banks, accounts, holders, consents, funds). A deposit
 * or withdrawal names its own fields ({@code account}, {@code amount_cents}); a transfer names {@code legs[i].x}.
 */
class MoneyRefusalsTest extends RefusalTables {
  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                                                      | code             | reason             | field        | metadata           | says
      nobody | account: 'bad' amount_cents: 0 request_id: 'x'               | UNAUTHENTICATED  | UNAUTHENTICATED    |              |                    | sign in first
      stale  | account: 'bad' amount_cents: 0                               | UNAUTHENTICATED  | UNAUTHENTICATED    |              |                    | unknown or was revoked
      ana    | account: 'bad' amount_cents: 0 request_id: 'not-a-uuid'      | INVALID_ARGUMENT | INVALID_REQUEST_ID | request_id   |                    | request_id must be a UUID
      ana    | account: 'bad' amount_cents: 0                               | INVALID_ARGUMENT | INVALID_AMOUNT     | amount_cents |                    | amount_cents must be between 1 and 1000000000000000 cents, got 0
      ana    | account: 'alpha:1001' amount_cents: -5                       | INVALID_ARGUMENT | INVALID_AMOUNT     | amount_cents |                    | got -5
      ana    | account: 'alpha:1001' amount_cents: 1000000000000001         | INVALID_ARGUMENT | INVALID_AMOUNT     | amount_cents |                    | got 1000000000000001
      ana    | amount_cents: 1                                              | INVALID_ARGUMENT | INVALID_ACCOUNT_ID | account      |                    | '' is not an account: expected bank:number
      ana    | account: 'alpha-1001' amount_cents: 1                        | INVALID_ARGUMENT | INVALID_ACCOUNT_ID | account      |                    | expected bank:number
      ana    | account: 'alpha:1001$RLO' amount_cents: 1                    | INVALID_ARGUMENT | INVALID_ACCOUNT_ID | account      | code_point=U+202E  | forbidden character U+202E
      ana    | account: 'alpha:9999' amount_cents: 1 request_id: '$USED_ID' | ALREADY_EXISTS   | REQUEST_ID_REUSED  | request_id   |                    | already used for a different transaction
      ana    | account: 'omega:1001' amount_cents: 1                        | NOT_FOUND        | BANK_NOT_FOUND     | account      | bank=omega         | which is not in the consortium
      ana    | account: 'alpha:9999' amount_cents: 1                        | NOT_FOUND        | ACCOUNT_NOT_FOUND  | account      | account=alpha:9999 | no account alpha:9999 at bank alpha
      ana    | account: 'beta:9999' amount_cents: 1                         | NOT_FOUND        | ACCOUNT_NOT_FOUND  | account      | account=beta:9999  | no account beta:9999 at bank beta
      """)
  void deposit(String as, String text, Status.Code code, String reason, String field, String metadata, String says) {
    assertRefused(() -> bank.bank(as).deposit(request(text, DepositRequest.getDefaultInstance())), code, reason,
        field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                                                      | code                | reason                 | field        | metadata                              | says
      nobody | account: 'bad' amount_cents: 0 request_id: 'x'               | UNAUTHENTICATED     | UNAUTHENTICATED        |              |                                       | sign in first
      ana    | account: 'bad' amount_cents: 0 request_id: 'not-a-uuid'      | INVALID_ARGUMENT    | INVALID_REQUEST_ID     | request_id   |                                       | request_id must be a UUID
      ana    | account: 'bad' amount_cents: 0                               | INVALID_ARGUMENT    | INVALID_AMOUNT         | amount_cents |                                       | amount_cents must be between 1 and 1000000000000000 cents, got 0
      ana    | amount_cents: 1                                              | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID     | account      |                                       | '' is not an account: expected bank:number
      ana    | account: 'alpha:1001 ' amount_cents: 1                       | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID     | account      |                                       | expected bank:number
      ana    | account: 'alpha:9999' amount_cents: 1 request_id: '$USED_ID' | ALREADY_EXISTS      | REQUEST_ID_REUSED      | request_id   |                                       | already used for a different transaction
      ana    | account: 'omega:1001' amount_cents: 1                        | NOT_FOUND           | BANK_NOT_FOUND         | account      | bank=omega                            | which is not in the consortium
      ana    | account: 'alpha:9999' amount_cents: 1                        | NOT_FOUND           | ACCOUNT_NOT_FOUND      | account      | account=alpha:9999                    | no account alpha:9999
      ana    | account: 'alpha:1002' amount_cents: 999999                   | PERMISSION_DENIED   | NOT_ACCOUNT_HOLDER     | account      | account=alpha:1002                    | ana is not a holder of account alpha:1002
      carl   | account: 'alpha:1003' amount_cents: 1                        | FAILED_PRECONDITION | INSUFFICIENT_FUNDS     | amount_cents | account=alpha:1003; available_cents=0; needed_cents=1 | has 0 cents available
      ana    | account: 'alpha:1001' amount_cents: 1001                     | FAILED_PRECONDITION | INSUFFICIENT_FUNDS     | amount_cents | account=alpha:1001; available_cents=1000; needed_cents=1001 | has 1000 cents available, the transaction needs 1001
      dora   | account: 'alpha:1001' amount_cents: 1                        | PERMISSION_DENIED   | CONSENT_REQUIRED       | account      | account=alpha:1001; grantee=beta:dora | a holder must grant a consent at bank alpha first
      caio   | account: 'alpha:1001' amount_cents: 101                      | PERMISSION_DENIED   | CONSENT_LIMIT_EXCEEDED | amount_cents | account=alpha:1001; consent_id=1; limit_per_transaction_cents=100; needed_cents=101 | at most 100 cents in one transaction
      """)
  void withdraw(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).withdraw(request(text, WithdrawRequest.getDefaultInstance())), code, reason,
        field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                                                               | code                | reason                 | field                | metadata                  | says
      nobody | request_id: 'x'                                                       | UNAUTHENTICATED     | UNAUTHENTICATED        |                      |                           | sign in first
      ana    | request_id: 'x'                                                       | INVALID_ARGUMENT    | INVALID_REQUEST_ID     | request_id           |                           | request_id must be a UUID
      ana    |                                                                       | INVALID_ARGUMENT    | NO_LEGS                | legs                 |                           | at least one leg
      ana    | legs { amount_cents: 0 } $LEGS65                                      | INVALID_ARGUMENT    | TOO_MANY_LEGS          | legs                 |                           | at most 64 legs, got 66
      ana    | legs { amount_cents: 0 from_account: 'alpha:1001' to_account: 'alpha:1002' } | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].kind         | leg=0                     | leg 0 needs a kind
      ana    | legs { $T amount_cents: 0 }                                           | INVALID_ARGUMENT    | INVALID_AMOUNT         | legs[0].amount_cents | leg=0                     | got 0
      ana    | legs { $T amount_cents: 1 to_account: 'alpha:1002' }                  | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].from_account | leg=0                     | needs from_account
      ana    | legs { kind: LEG_KIND_DEPOSIT amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:1002' } | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].from_account | leg=0                     | takes no from_account
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' }                | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].to_account   | leg=0                     | needs to_account
      ana    | legs { kind: LEG_KIND_WITHDRAWAL amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:1002' } | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].to_account   | leg=0                     | takes no to_account
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:x' to_account: 'bad' } | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID     | legs[0].from_account | leg=0                     | 'alpha:x' is not an account
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:pix:' } | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID     | legs[0].to_account   | leg=0                     | is not a destination
      ana    | $LEG_OK legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:1002$RLO' } | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID     | legs[1].to_account   | code_point=U+202E; leg=1  | the destination has the forbidden character U+202E
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:1001' } | INVALID_ARGUMENT    | INVALID_LEG            | legs[0].to_account   | leg=0                     | to itself
      ana    | $LEG_OK legs { $T amount_cents: 0 } legs { amount_cents: 1 }          | INVALID_ARGUMENT    | INVALID_AMOUNT         | legs[1].amount_cents | leg=1                     | leg 1 amount
      ana    | legs { $T amount_cents: 1 from_account: 'omega:1' to_account: 'alpha:1002' } request_id: '$USED_ID' | ALREADY_EXISTS      | REQUEST_ID_REUSED      | request_id           |                           | already used for a different transaction
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'omega:1001' } | NOT_FOUND           | BANK_NOT_FOUND         | legs[0].to_account   | bank=omega; leg=0         | leg 0 names bank 'omega'
      ana    | $LEG_OK legs { $T amount_cents: 1 from_account: 'omega:1' to_account: 'zeta:1' } | NOT_FOUND           | BANK_NOT_FOUND         | legs[1].from_account | bank=omega; leg=1         | leg 1 names bank 'omega'
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:9999' to_account: 'alpha:1002' } | NOT_FOUND           | ACCOUNT_NOT_FOUND      | legs[0].from_account | account=alpha:9999; leg=0 | no account alpha:9999
      ana    | legs { $T amount_cents: 5000 from_account: 'alpha:1002' to_account: 'alpha:9999' } | PERMISSION_DENIED   | NOT_ACCOUNT_HOLDER     | legs[0].from_account | account=alpha:1002; leg=0 | ana is not a holder of account alpha:1002
      ana    | legs { $T amount_cents: 5000 from_account: 'alpha:1001' to_account: 'alpha:9999' } legs { $T amount_cents: 1 from_account: 'alpha:1002' to_account: 'alpha:1001' } | FAILED_PRECONDITION | INSUFFICIENT_FUNDS     | legs[0].amount_cents | account=alpha:1001; available_cents=1000; leg=0; needed_cents=5000 | the transaction needs 5000
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:9999' } | NOT_FOUND           | ACCOUNT_NOT_FOUND      | legs[0].to_account   | account=alpha:9999; leg=0 | no account alpha:9999
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:pix:nobody@example.com' } | NOT_FOUND           | PIX_KEY_NOT_FOUND      | legs[0].to_account   | leg=0                     | no PIX key 'nobody@example.com' at bank alpha
      ana    | legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'beta:9999' } | NOT_FOUND           | ACCOUNT_NOT_FOUND      | legs[0].to_account   | account=beta:9999; leg=0  | no account beta:9999 at bank beta
      ana    | $LEG_400 $LEG_400 $LEG_400                                            | FAILED_PRECONDITION | INSUFFICIENT_FUNDS     | legs[2].amount_cents | account=alpha:1001; available_cents=1000; leg=2; needed_cents=1200 | leg 2: account alpha:1001 has 1000 cents available, the transaction needs 1200
      dora   | $LEG_OK                                                               | PERMISSION_DENIED   | CONSENT_REQUIRED       | legs[0].from_account | account=alpha:1001; grantee=beta:dora; leg=0 | beta:dora may not debit alpha:1001
      caio   | legs { $T amount_cents: 60 from_account: 'alpha:1001' to_account: 'alpha:1002' } legs { $T amount_cents: 41 from_account: 'alpha:1001' to_account: 'alpha:1002' } | PERMISSION_DENIED   | CONSENT_LIMIT_EXCEEDED | legs[1].amount_cents | account=alpha:1001; consent_id=1; leg=1; limit_per_transaction_cents=100; needed_cents=101 | this one needs 101
      """)
  void transfer(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).transfer(request(text, TransferRequest.getDefaultInstance())), code, reason,
        field, metadata, says);
  }
}
