package dev.distribank.node.api;

import static dev.distribank.node.api.RefusalTable.assertRefused;
import static dev.distribank.node.api.RefusalTable.request;

import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.ListConsentsRequest;
import dev.distribank.proto.bank.v1.RevokeConsentRequest;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Consent calls refused, one table per request in precedence order: the caller, the account id, the grantee (its
 * form, then its bank), the expiry's form, then the account (it exists, the caller holds it), the grantee's bank
 * (not this one), the limits and the expiry's time. Ana's alpha:1001 has a consent for beta:caio; carl is an
 * employee of acme's alpha:1003 ({@link RefusalFixture}).
 */
class ConsentRefusalsTest extends RefusalTables {
  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                                                                 | code              | reason              | field                       | metadata           | says
      nobody | account: 'bad' grantee: 'x'                                             | UNAUTHENTICATED   | UNAUTHENTICATED     |                             |                    | sign in first
      ana    | account: 'bad' grantee: 'x'                                             | INVALID_ARGUMENT  | INVALID_ACCOUNT_ID  | account                     |                    | 'bad' is not an account
      ana    | account: 'alpha:9999' grantee: 'caio' expire_time { seconds: -1 }       | INVALID_ARGUMENT  | INVALID_GRANTEE     | grantee                     |                    | 'caio' is not of the form bank:login
      ana    | account: 'alpha:1001'                                                   | INVALID_ARGUMENT  | INVALID_GRANTEE     | grantee                     |                    | '' is not of the form bank:login
      ana    | account: 'alpha:1001' grantee: 'beta:caio$RLO'                          | INVALID_ARGUMENT  | INVALID_GRANTEE     | grantee                     | code_point=U+202E  | the grantee has the forbidden character U+202E
      ana    | account: 'alpha:9999' grantee: 'omega:caio' expire_time { seconds: -1 } | INVALID_ARGUMENT  | INVALID_GRANTEE     | grantee                     | bank=omega         | bank 'omega' is not in the consortium
      ana    | account: 'alpha:9999' grantee: 'beta:caio' expire_time { seconds: -1 }  | INVALID_ARGUMENT  | INVALID_EXPIRE_TIME | expire_time                 |                    | expire_time must be a valid time in the future
      ana    | account: 'alpha:1001' grantee: 'beta:caio' expire_time { seconds: 253402300800 } | INVALID_ARGUMENT  | INVALID_EXPIRE_TIME | expire_time                 |                    | expire_time must be a valid time in the future
      ana    | account: 'alpha:9999' grantee: 'beta:caio' limit_per_transaction_cents: -1 | NOT_FOUND         | ACCOUNT_NOT_FOUND   | account                     | account=alpha:9999 | no account alpha:9999
      ana    | account: 'alpha:1002' grantee: 'alpha:bia' limit_per_transaction_cents: -1 | PERMISSION_DENIED | NOT_ACCOUNT_HOLDER  | account                     | account=alpha:1002 | ana is not a holder of account alpha:1002
      carl   | account: 'alpha:1003' grantee: 'beta:caio'                              | PERMISSION_DENIED | NOT_ACCOUNT_HOLDER  | account                     | account=alpha:1003 | only a holder of account alpha:1003 may grant or revoke its consents; carl is an employee
      ana    | account: 'alpha:1001' grantee: 'alpha:bia' limit_per_transaction_cents: -1 | INVALID_ARGUMENT  | INVALID_GRANTEE     | grantee                     |                    | a consent is for a customer of another bank
      ana    | account: 'alpha:1001' grantee: 'beta:caio' limit_per_transaction_cents: -1 total_limit_cents: -1 | INVALID_ARGUMENT  | INVALID_AMOUNT      | limit_per_transaction_cents |                    | limit_per_transaction_cents must be between 0 (no limit) and 1000000000000000000 cents, got -1
      ana    | account: 'alpha:1001' grantee: 'beta:caio' total_limit_cents: 1000000000000000001 | INVALID_ARGUMENT  | INVALID_AMOUNT      | total_limit_cents           |                    | total_limit_cents must be between 0 (no limit)
      ana    | account: 'alpha:1001' grantee: 'beta:caio' expire_time { seconds: 1 }   | INVALID_ARGUMENT  | INVALID_EXPIRE_TIME | expire_time                 |                    | expire_time must lie in the future
      ana    | account: 'alpha:1001' grantee: 'beta:caio' expire_time { seconds: 253402300799 } | INVALID_ARGUMENT  | INVALID_EXPIRE_TIME | expire_time                 |                    | expire_time may lie at most ten years ahead
      """)
  void grantConsent(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).grantConsent(request(text, GrantConsentRequest.getDefaultInstance())), code,
        reason, field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request               | code              | reason             | field   | metadata           | says
      nobody | account: 'bad'        | UNAUTHENTICATED   | UNAUTHENTICATED    |         |                    | sign in first
      ana    | account: 'bad'        | INVALID_ARGUMENT  | INVALID_ACCOUNT_ID | account |                    | 'bad' is not an account
      ana    | account: 'alpha:9999' | NOT_FOUND         | ACCOUNT_NOT_FOUND  | account | account=alpha:9999 | no account alpha:9999
      bia    | account: 'alpha:1001' | PERMISSION_DENIED | NOT_ACCOUNT_HOLDER | account | account=alpha:1001 | bia is not a holder of account alpha:1001
      caio   | account: 'alpha:1001' | NOT_FOUND         | ACCOUNT_NOT_FOUND  | account | account=alpha:1001 | no account alpha:1001 at bank beta
      """)
  void listConsents(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).listConsents(request(text, ListConsentsRequest.getDefaultInstance())), code,
        reason, field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                                     | code              | reason             | field   | metadata           | says
      nobody | account: 'bad' grantee: 'x'                 | UNAUTHENTICATED   | UNAUTHENTICATED    |         |                    | sign in first
      ana    | account: 'bad' grantee: 'x'                 | INVALID_ARGUMENT  | INVALID_ACCOUNT_ID | account |                    | 'bad' is not an account
      ana    | account: 'alpha:9999' grantee: 'beta:'      | INVALID_ARGUMENT  | INVALID_GRANTEE    | grantee |                    | 'beta:' is not of the form bank:login
      ana    | account: 'alpha:9999' grantee: 'omega:caio' | INVALID_ARGUMENT  | INVALID_GRANTEE    | grantee | bank=omega         | bank 'omega' is not in the consortium
      ana    | account: 'alpha:9999' grantee: 'beta:caio'  | NOT_FOUND         | ACCOUNT_NOT_FOUND  | account | account=alpha:9999 | no account alpha:9999
      bia    | account: 'alpha:1001' grantee: 'beta:caio'  | PERMISSION_DENIED | NOT_ACCOUNT_HOLDER | account | account=alpha:1001 | bia is not a holder of account alpha:1001
      carl   | account: 'alpha:1003' grantee: 'beta:caio'  | PERMISSION_DENIED | NOT_ACCOUNT_HOLDER | account | account=alpha:1003 | carl is an employee
      ana    | account: 'alpha:1001' grantee: 'beta:dora'  | NOT_FOUND         | CONSENT_NOT_FOUND  | grantee | account=alpha:1001 | account alpha:1001 has no live consent for beta:dora
      ana    | account: 'alpha:1004' grantee: 'beta:caio'  | NOT_FOUND         | CONSENT_NOT_FOUND  | grantee | account=alpha:1004 | account alpha:1004 has no live consent for beta:caio
      """)
  void revokeConsent(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).revokeConsent(request(text, RevokeConsentRequest.getDefaultInstance())), code,
        reason, field, metadata, says);
  }
}
