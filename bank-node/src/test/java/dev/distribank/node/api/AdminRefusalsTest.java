package dev.distribank.node.api;

import static dev.distribank.node.api.RefusalTable.assertRefused;
import static dev.distribank.node.api.RefusalTable.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.ListCustomersRequest;
import dev.distribank.proto.bank.v1.ListOperationsRequest;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AdminService refused, one table per request in precedence order: the operator's token first (a customer's token
 * is not one), then the paging fields in the request's order, page_size before page_token. Last, with beta
 * stopped, the audit that cannot reach it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminRefusalsTest {
  static final String NOT_THE_OPERATOR =
      "AdminService needs 'authorization: Bearer <admin token>', the token the node was started with";
  @TempDir static Path dir;
  static RefusalFixture bank;

  @BeforeAll
  static void start() throws Exception {
    bank = new RefusalFixture(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    bank.close();
  }

  @Order(1)
  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                         | code             | reason            | field     | says
      nobody | page_size: -1                   | UNAUTHENTICATED  | UNAUTHENTICATED   |           | AdminService needs 'authorization: Bearer <admin token>'
      ana    | page_size: -1                   | UNAUTHENTICATED  | UNAUTHENTICATED   |           | the token the node was started with
      admin  | page_size: -1 page_token: 'ana' | INVALID_ARGUMENT | INVALID_PAGE_SIZE | page_size | page_size must not be negative
      """)
  void listCustomers(String as, String text, Status.Code code, String reason, String field, String says) {
    assertRefused(() -> bank.admin(as).listCustomers(request(text, ListCustomersRequest.getDefaultInstance())),
        code, reason, field, "", says);
  }

  @Order(2)
  @ParameterizedTest(name = "[{index}] {0}: {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | request                       | code             | reason             | field      | says
      nobody | page_size: -1 page_token: 'x' | UNAUTHENTICATED  | UNAUTHENTICATED    |            | AdminService needs 'authorization: Bearer <admin token>'
      stale  | page_size: -1 page_token: 'x' | UNAUTHENTICATED  | UNAUTHENTICATED    |            | AdminService needs 'authorization: Bearer <admin token>'
      admin  | page_size: -1 page_token: 'x' | INVALID_ARGUMENT | INVALID_PAGE_SIZE  | page_size  | page_size must not be negative
      admin  | page_token: 'x'               | INVALID_ARGUMENT | INVALID_PAGE_TOKEN | page_token | page_token 'x' was not returned by this call
      admin  | page_token: '-1'              | INVALID_ARGUMENT | INVALID_PAGE_TOKEN | page_token | page_token '-1' was not returned by this call
      """)
  void listOperations(String as, String text, Status.Code code, String reason, String field, String says) {
    assertRefused(() -> bank.admin(as).listOperations(request(text, ListOperationsRequest.getDefaultInstance())),
        code, reason, field, "", says);
  }

  /** Audit and GetClusterStatus take nothing but the operator's token. */
  @Order(3)
  @ParameterizedTest(name = "[{index}] {0} {1} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # as   | call          | code            | reason
      nobody | audit         | UNAUTHENTICATED | UNAUTHENTICATED
      ana    | audit         | UNAUTHENTICATED | UNAUTHENTICATED
      nobody | clusterStatus | UNAUTHENTICATED | UNAUTHENTICATED
      stale  | clusterStatus | UNAUTHENTICATED | UNAUTHENTICATED
      """)
  void operatorOnly(String as, String call, Status.Code code, String reason) {
    assertRefused(() -> {
      if (call.equals("audit")) {
        bank.admin(as).audit(AuditRequest.getDefaultInstance());
      } else {
        bank.admin(as).getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
      }
    }, code, reason, "", "", NOT_THE_OPERATOR);
  }

  /** A bank that does not answer is named, in words an operator reads: no Java exception class in the message. */
  @Order(4)
  @Test
  void audit_aBankDown_bankUnavailableNamingIt() throws Exception {
    bank.cluster().stop("beta");

    var e = assertRefused(() -> bank.admin("admin").audit(AuditRequest.getDefaultInstance()),
        Status.Code.UNAVAILABLE, "BANK_UNAVAILABLE", "", "bank=beta",
        "bank beta did not answer the audit: DEADLINE_EXCEEDED");

    assertEquals("bank beta did not answer the audit: DEADLINE_EXCEEDED", e.getStatus().getDescription());
  }
}
