package dev.distribank.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetStatementRequest;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.ListOperationsRequest;
import dev.distribank.proto.bank.v1.Operation;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by an older node opens and answers as it did. {@code stores/alpha-at-39c6e8b.zip} is the RocksDB
 * directory of a lone bank alpha run by the code at commit 39c6e8b, before request fingerprints were structural and
 * before refusals carried their failing leg as a field: ana's accounts alpha:1001 and alpha:1002, a PIX key
 * ana@example.com on alpha:1002, then, each under its own request id, a deposit of 10,000 (…0001), a withdrawal of
 * 1,000 (…0002), a committed two-leg transfer of 2,500 and 300 by PIX (…0003), and a transfer refused at leg 1
 * (…0004). Never regenerate it with newer code: it stands for what is already on disk in the field.
 */
class StoreUpgradeTest {
  private static final String A1 = "alpha:1001";
  private static final String A2 = "alpha:1002";
  @TempDir Path dir;
  private BankNode node;
  private Clients clients;
  private String ana;

  @BeforeEach
  void openTheOldStore() throws IOException {
    unzip("/stores/alpha-at-39c6e8b.zip", dir.resolve("alpha"));
    node = BankNode.start(NodeConfig.forTest("alpha", dir.resolve("alpha")));
    clients = new Clients(node.port());
    ana = clients.logIn("ana");
  }

  @org.junit.jupiter.api.AfterEach
  void close() throws Exception {
    clients.close();
    node.close();
  }

  private static Leg transfer(String from, String to, long cents) {
    return Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to)
        .setAmountCents(cents).build();
  }

  private static TransferRequest committedTransfer(long firstLegCents) {
    return TransferRequest.newBuilder().setRequestId("00000000-0000-4000-8000-000000000003")
        .addLegs(transfer(A1, A2, firstLegCents)).addLegs(transfer(A1, "alpha:pix:ana@example.com", 300)).build();
  }

  @Test
  void balancesAndTotals_areWhatTheOldNodeLeft() {
    assertEquals(6_200, clients.as(ana).getBalance(GetBalanceRequest.newBuilder().setAccount(A1).build())
        .getBalanceCents());
    assertEquals(2_800, clients.as(ana).getBalance(GetBalanceRequest.newBuilder().setAccount(A2).build())
        .getBalanceCents());
    var audit = clients.admin("test-admin-token").audit(AuditRequest.getDefaultInstance());
    assertEquals(10_000, audit.getDepositsCents());
    assertEquals(1_000, audit.getWithdrawalsCents());
    assertTrue(audit.getBalanced());
  }

  @Test
  void aRetryOfAnOldRequest_replaysItsFirstOutcome() {
    var receipt = clients.as(ana).transfer(committedTransfer(2_500)).getReceipt();
    assertEquals("alpha-3", receipt.getTransactionId());
    assertTrue(receipt.getReplayed());
    var deposit = clients.as(ana).deposit(DepositRequest.newBuilder().setAccount(A1).setAmountCents(10_000)
        .setRequestId("00000000-0000-4000-8000-000000000001").build());
    assertTrue(deposit.getReceipt().getReplayed());
    assertEquals(6_200, clients.as(ana).getBalance(GetBalanceRequest.newBuilder().setAccount(A1).build())
        .getBalanceCents());
  }

  @Test
  void aStatement_readsTheOldEntriesWithTheirAccount_andTheNewOnesStoredWithoutIt() throws Exception {
    clients.as(ana).transfer(TransferRequest.newBuilder().setRequestId("00000000-0000-4000-8000-000000000005")
        .addLegs(transfer(A1, A2, 200)).build());
    var entries = clients.as(ana).getStatement(GetStatementRequest.newBuilder().setAccount(A1).build())
        .getEntriesList();
    // deposit 10,000, withdrawal 1,000, the two legs of the old transfer, then the new one.
    assertEquals(java.util.List.of(10_000L, -1_000L, -2_500L, -300L, -200L),
        entries.stream().map(e -> e.getAmountCents()).toList());
    entries.forEach(e -> assertEquals(A1, e.getAccount(), e.toString()));
    assertEquals(6_000, entries.get(4).getBalanceCents());
    assertEquals("ana@alpha", entries.get(4).getInitiator());
    node.close();
    try (Store store = Store.open(dir.resolve("alpha"))) {
      int[] withAccount = {0, 0};
      store.forEach(Store.Family.ENTRIES, (k, v) -> withAccount[Store.parse(
          dev.distribank.proto.bank.v1.LedgerEntry.parser(), v).getAccount().isEmpty() ? 1 : 0]++);
      assertEquals(6, withAccount[0], "the old node's entries (4 on alpha:1001, 2 on alpha:1002) ...");
      assertEquals(2, withAccount[1], "... and the new transfer's two, whose key names their account");
    }
    node = BankNode.start(NodeConfig.forTest("alpha", dir.resolve("alpha")));
    clients.close();
    clients = new Clients(node.port());
  }

  @Test
  void anOldRequestIdReusedForOtherLegs_isStillRefused() {
    var e = assertThrows(StatusRuntimeException.class, () -> clients.as(ana).transfer(committedTransfer(2_501)));
    assertEquals("REQUEST_ID_REUSED", Clients.reason(e));
  }

  @Test
  void anOldRefusal_replaysWithItsFailingLeg() {
    var e = assertThrows(StatusRuntimeException.class, () -> clients.as(ana).transfer(TransferRequest.newBuilder()
        .setRequestId("00000000-0000-4000-8000-000000000004").addLegs(transfer(A1, A2, 100))
        .addLegs(transfer(A2, A1, 999_999)).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertEquals("INSUFFICIENT_FUNDS", Clients.reason(e));
    assertEquals("legs[1].amount_cents", field(e));
    Operation refused = clients.admin("test-admin-token").listOperations(ListOperationsRequest.getDefaultInstance())
        .getOperationsList().stream().filter(o -> o.getTransactionId().equals("alpha-4")).findFirst().orElseThrow();
    assertEquals(1, refused.getFailedLeg());
    assertEquals("INSUFFICIENT_FUNDS", refused.getReason());
  }

  private static String field(StatusRuntimeException e) {
    var status = io.grpc.protobuf.StatusProto.fromThrowable(e);
    for (var any : status.getDetailsList()) {
      if (any.is(com.google.rpc.BadRequest.class)) {
        try {
          return any.unpack(com.google.rpc.BadRequest.class).getFieldViolations(0).getField();
        } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
          throw new AssertionError(bad);
        }
      }
    }
    return "";
  }

  private static void unzip(String resource, Path into) throws IOException {
    Files.createDirectories(into);
    try (InputStream in = StoreUpgradeTest.class.getResourceAsStream(resource);
        ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        Files.copy(zip, into.resolve(entry.getName()));
      }
    }
  }
}
