package dev.distribank.node.api;

import static dev.distribank.node.api.RefusalTable.assertRefused;
import static dev.distribank.node.api.RefusalTable.request;

import dev.distribank.proto.bank.v1.CreateCustomerRequest;
import dev.distribank.proto.bank.v1.ListAccountsRequest;
import dev.distribank.proto.bank.v1.LoginRequest;
import dev.distribank.proto.bank.v1.LogoutRequest;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Signing up, in and out refused, one table per request in precedence order. Sign-up checks every field before the
 * (slow) password hash, in the request's order, and only then whether the login or tax id is taken. Ana's CPF is
 * 00000000191 and acme's CNPJ 00000042000122 ({@link RefusalFixture}).
 */
class SignUpRefusalsTest extends RefusalTables {
  @ParameterizedTest(name = "[{index}] {0} -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # request                                | code             | reason         | field    | metadata          | says
      name: ' ' cpf: 'bad' login: 'X' password: 'short' | INVALID_ARGUMENT | INVALID_NAME   | name     |                   | name must have 1 to 120 characters, got 0
      name: '$LONG_NAME' cpf: '00000000515' login: 'zed' password: 'correct horse' | INVALID_ARGUMENT | INVALID_NAME   | name     |                   | got 121
      name: 'Zed$RLO' cpf: '00000000515' login: 'zed' password: 'correct horse' | INVALID_ARGUMENT | INVALID_NAME   | name     | code_point=U+202E | the name has the forbidden character U+202E
      name: 'Zed' login: 'X' password: 'short' | INVALID_ARGUMENT | INVALID_TAX_ID | cpf      |                   | give exactly one of cpf (a person) or cnpj (a company)
      name: 'Zed' cpf: '' login: 'X' password: 'short' | INVALID_ARGUMENT | INVALID_CPF    | cpf      |                   | CPF is required: 11 digits
      name: 'Zed' cpf: '123.456.789-00' login: 'X' | INVALID_ARGUMENT | INVALID_CPF    | cpf      |                   | has wrong check digits
      name: 'Zed' cpf: '0000000051' login: 'zed' password: 'correct horse' | INVALID_ARGUMENT | INVALID_CPF    | cpf      |                   | has 10 digits; a CPF has 11
      name: 'Zed' cnpj: '11.222.333/0001-00' login: 'zed' password: 'correct horse' | INVALID_ARGUMENT | INVALID_CNPJ   | cnpj     |                   | has wrong check digits
      name: 'Zed' cnpj: '00000043000177x' login: 'zed' password: 'correct horse' | INVALID_ARGUMENT | INVALID_CNPJ   | cnpj     |                   | has 'x' at position 15
      name: 'Zed' cpf: '00000000515' login: 'X' password: 'short' | INVALID_ARGUMENT | INVALID_LOGIN  | login    |                   | login must be 3 to 32 characters
      name: 'Zed' cpf: '00000000515' login: 'ze' password: 'correct horse' | INVALID_ARGUMENT | INVALID_LOGIN  | login    |                   | login must be 3 to 32 characters
      name: 'Zed' cpf: '00000000515' login: 'zed\\0' password: 'correct horse' | INVALID_ARGUMENT | INVALID_LOGIN  | login    | code_point=U+0000 | the login has the forbidden character U+0000
      name: 'Zed' cpf: '00000000515' login: 'zed' password: 'short' | INVALID_ARGUMENT | WEAK_PASSWORD  | password |                   | password must have 8 to 128 characters
      name: 'Zed' cpf: '00000000515' login: 'zed' password: 'correct horse\000' | INVALID_ARGUMENT | WEAK_PASSWORD  | password |                   | must not contain the NUL character
      name: 'Zed' cpf: '00000000191' login: 'ana' password: 'correct horse' | ALREADY_EXISTS   | LOGIN_TAKEN    | login    |                   | login 'ana' is taken at bank alpha
      name: 'Zed' cpf: '00000000191' login: 'zed' password: 'correct horse' | ALREADY_EXISTS   | TAX_ID_TAKEN   | cpf      |                   | this CPF is already a customer of bank alpha
      name: 'Zed' cnpj: '00000042000122' login: 'zed' password: 'correct horse' | ALREADY_EXISTS   | TAX_ID_TAKEN   | cnpj     |                   | this CNPJ is already a customer of bank alpha
      """)
  void createCustomer(String text, Status.Code code, String reason, String field, String metadata, String says) {
    assertRefused(() -> bank.bank("nobody").createCustomer(request(text, CreateCustomerRequest.getDefaultInstance())),
        code, reason, field, metadata, says);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # request | code             | reason          | field | metadata          | says
      login: 'ana$RLO' password: 'correct horse' | INVALID_ARGUMENT | INVALID_LOGIN   | login | code_point=U+202E | the login has the forbidden character U+202E
      login: 'ana' password: 'not the password' | UNAUTHENTICATED  | UNAUTHENTICATED |       |                   | wrong login or password
      login: 'nobody' password: 'not the password' | UNAUTHENTICATED  | UNAUTHENTICATED |       |                   | wrong login or password
      login: '' | UNAUTHENTICATED  | UNAUTHENTICATED |       |                   | wrong login or password
      """)
  void login(String text, Status.Code code, String reason, String field, String metadata, String says) {
    assertRefused(() -> bank.bank("nobody").login(request(text, LoginRequest.getDefaultInstance())), code, reason,
        field, metadata, says);
  }

  /** Logout and ListAccounts take nothing but the caller. */
  @ParameterizedTest(name = "[{index}] {0} {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | call         | code            | reason          | says
      nobody | logout       | UNAUTHENTICATED | UNAUTHENTICATED | sign in first: send 'authorization: Bearer <token>' from Login
      stale  | logout       | UNAUTHENTICATED | UNAUTHENTICATED | the token is unknown or was revoked; sign in again
      nobody | listAccounts | UNAUTHENTICATED | UNAUTHENTICATED | sign in first
      stale  | listAccounts | UNAUTHENTICATED | UNAUTHENTICATED | the token is unknown or was revoked
      admin  | listAccounts | UNAUTHENTICATED | UNAUTHENTICATED | the token is unknown or was revoked
      """)
  void callerOnly(String as, String call, Status.Code code, String reason, String says) {
    assertRefused(() -> {
      if (call.equals("logout")) {
        bank.bank(as).logout(LogoutRequest.getDefaultInstance());
      } else {
        bank.bank(as).listAccounts(ListAccountsRequest.getDefaultInstance());
      }
    }, code, reason, "", "", says);
  }
}
