package dev.distribank.node.api;

import static dev.distribank.node.api.RefusalTable.assertRefused;
import static dev.distribank.node.api.RefusalTable.request;

import dev.distribank.proto.bank.v1.AddEmployeeRequest;
import dev.distribank.proto.bank.v1.AddHolderRequest;
import dev.distribank.proto.bank.v1.GetAccountRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetStatementRequest;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Account calls refused, one table per request in precedence order: the caller, the account id, that it exists here,
 * that the caller operates it, then what the call itself needs. The accounts are {@link RefusalFixture}'s.
 */
class AccountRefusalsTest extends RefusalTables {
  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                     | code                | reason               | field | says
      nobody |                             | UNAUTHENTICATED     | UNAUTHENTICATED      |       | sign in first
      ana    |                             | INVALID_ARGUMENT    | INVALID_ACCOUNT_KIND | kind  | kind must be INDIVIDUAL, JOINT or BUSINESS
      ana    | kind: ACCOUNT_KIND_BUSINESS | FAILED_PRECONDITION | WRONG_CUSTOMER_KIND  | kind  | only a company (CNPJ) may open a business account
      acme   | kind: ACCOUNT_KIND_JOINT    | FAILED_PRECONDITION | WRONG_CUSTOMER_KIND  | kind  | a company opens business accounts, not joint ones
      """)
  void openAccount(String as, String text, Status.Code code, String reason, String field, String says) {
    assertRefused(() -> bank.bank(as).openAccount(request(text, OpenAccountRequest.getDefaultInstance())), code,
        reason, field, "", says);
  }

  /** GetAccount and GetBalance ask the same of the same field. */
  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                   | code              | reason             | field   | metadata           | says
      nobody | account: 'bad'            | UNAUTHENTICATED   | UNAUTHENTICATED    |         |                    | sign in first
      stale  | account: 'bad'            | UNAUTHENTICATED   | UNAUTHENTICATED    |         |                    | unknown or was revoked
      ana    |                           | INVALID_ARGUMENT  | INVALID_ACCOUNT_ID | account |                    | '' is not an account: expected bank:number, e.g. alpha:1001
      ana    | account: 'alpha:01001'    | INVALID_ARGUMENT  | INVALID_ACCOUNT_ID | account |                    | 'alpha:01001' is not an account
      ana    | account: '$RLOalpha:1001' | INVALID_ARGUMENT  | INVALID_ACCOUNT_ID | account | code_point=U+202E  | the account id has the forbidden character U+202E
      ana    | account: 'alpha:9999'     | NOT_FOUND         | ACCOUNT_NOT_FOUND  | account | account=alpha:9999 | no account alpha:9999 at bank alpha
      ana    | account: 'beta:1001'      | NOT_FOUND         | ACCOUNT_NOT_FOUND  | account | account=beta:1001  | no account beta:1001 at bank alpha
      ana    | account: 'alpha:1002'     | PERMISSION_DENIED | NOT_ACCOUNT_HOLDER | account | account=alpha:1002 | ana is not a holder of account alpha:1002
      acme   | account: 'alpha:1001'     | PERMISSION_DENIED | NOT_ACCOUNT_HOLDER | account | account=alpha:1001 | acme is not a holder of account alpha:1001
      """)
  void getAccountAndBalance(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).getAccount(request(text, GetAccountRequest.getDefaultInstance())), code,
        reason, field, metadata, says);
    assertRefused(() -> bank.bank(as).getBalance(request(text, GetBalanceRequest.getDefaultInstance())), code,
        reason, field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                                | code                | reason              | field   | metadata           | says
      nobody | account: 'bad' login: 'x'              | UNAUTHENTICATED     | UNAUTHENTICATED     |         |                    | sign in first
      ana    | account: 'bad' login: 'x\\0'           | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID  | account |                    | 'bad' is not an account
      ana    | account: 'alpha:9999' login: 'x\\0'    | NOT_FOUND           | ACCOUNT_NOT_FOUND   | account | account=alpha:9999 | no account alpha:9999
      bia    | account: 'alpha:1001' login: 'bia'     | PERMISSION_DENIED   | NOT_ACCOUNT_HOLDER  | account | account=alpha:1001 | bia is not a holder of account alpha:1001
      ana    | account: 'alpha:1001' login: 'zoe'     | FAILED_PRECONDITION | WRONG_ACCOUNT_KIND  | account |                    | account alpha:1001 is individual; only joint accounts take more holders
      bia    | account: 'alpha:1004' login: 'zoe'     | PERMISSION_DENIED   | NOT_PRIMARY_HOLDER  | account |                    | only ana may add people to account alpha:1004
      ana    | account: 'alpha:1004' login: 'zoe$RLO' | INVALID_ARGUMENT    | INVALID_LOGIN       | login   | code_point=U+202E  | the login has the forbidden character U+202E
      ana    | account: 'alpha:1004' login: 'zoe'     | NOT_FOUND           | CUSTOMER_NOT_FOUND  | login   |                    | no customer 'zoe' at bank alpha
      ana    | account: 'alpha:1004' login: 'acme'    | FAILED_PRECONDITION | WRONG_CUSTOMER_KIND | login   |                    | acme is a company; only people can be added
      ana    | account: 'alpha:1004' login: 'bia'     | ALREADY_EXISTS      | ALREADY_MEMBER      | login   |                    | bia already operates account alpha:1004
      ana    | account: 'alpha:1004' login: 'ana'     | ALREADY_EXISTS      | ALREADY_MEMBER      | login   |                    | ana already operates account alpha:1004
      """)
  void addHolder(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).addHolder(request(text, AddHolderRequest.getDefaultInstance())), code, reason,
        field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                             | code                | reason              | field   | metadata           | says
      nobody | account: 'bad' login: 'x'           | UNAUTHENTICATED     | UNAUTHENTICATED     |         |                    | sign in first
      acme   | account: 'bad' login: 'x'           | INVALID_ARGUMENT    | INVALID_ACCOUNT_ID  | account |                    | 'bad' is not an account
      acme   | account: 'alpha:9999' login: 'carl' | NOT_FOUND           | ACCOUNT_NOT_FOUND   | account | account=alpha:9999 | no account alpha:9999
      ana    | account: 'alpha:1003' login: 'bia'  | PERMISSION_DENIED   | NOT_ACCOUNT_HOLDER  | account | account=alpha:1003 | ana is not a holder of account alpha:1003
      ana    | account: 'alpha:1004' login: 'carl' | FAILED_PRECONDITION | WRONG_ACCOUNT_KIND  | account |                    | account alpha:1004 is joint; only business accounts take employees
      carl   | account: 'alpha:1003' login: 'bia'  | PERMISSION_DENIED   | NOT_PRIMARY_HOLDER  | account |                    | only acme may add people to account alpha:1003
      acme   | account: 'alpha:1003' login: 'zoe'  | NOT_FOUND           | CUSTOMER_NOT_FOUND  | login   |                    | no customer 'zoe' at bank alpha
      acme   | account: 'alpha:1003' login: 'acme' | FAILED_PRECONDITION | WRONG_CUSTOMER_KIND | login   |                    | acme is a company; only people can be added
      acme   | account: 'alpha:1003' login: 'carl' | ALREADY_EXISTS      | ALREADY_MEMBER      | login   |                    | carl already operates account alpha:1003
      """)
  void addEmployee(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).addEmployee(request(text, AddEmployeeRequest.getDefaultInstance())), code,
        reason, field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                                             | code              | reason             | field      | metadata           | says
      nobody | account: 'bad' page_size: -1                        | UNAUTHENTICATED   | UNAUTHENTICATED    |            |                    | sign in first
      ana    | account: 'bad' page_size: -1                        | INVALID_ARGUMENT  | INVALID_ACCOUNT_ID | account    |                    | 'bad' is not an account
      ana    | account: 'alpha:9999' page_size: -1                 | NOT_FOUND         | ACCOUNT_NOT_FOUND  | account    | account=alpha:9999 | no account alpha:9999
      ana    | account: 'alpha:1002' page_size: -1 page_token: 'x' | PERMISSION_DENIED | NOT_ACCOUNT_HOLDER | account    | account=alpha:1002 | ana is not a holder
      ana    | account: 'alpha:1001' page_size: -1 page_token: 'x' | INVALID_ARGUMENT  | INVALID_PAGE_SIZE  | page_size  |                    | page_size must not be negative
      ana    | account: 'alpha:1001' page_token: 'x'               | INVALID_ARGUMENT  | INVALID_PAGE_TOKEN | page_token |                    | page_token 'x' was not returned by this call
      ana    | account: 'alpha:1001' page_token: '-3'              | INVALID_ARGUMENT  | INVALID_PAGE_TOKEN | page_token |                    | page_token '-3' was not returned by this call
      """)
  void getStatement(String as, String text, Status.Code code, String reason, String field, String metadata,
      String says) {
    assertRefused(() -> bank.bank(as).getStatement(request(text, GetStatementRequest.getDefaultInstance())), code,
        reason, field, metadata, says);
  }
}
