package dev.distribank.node.api;

import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.proto.bank.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BankService end to end: a real node on a loopback port with a real RocksDB directory. */
class BankServiceTest {
  @TempDir Path dir;
  BankNode node;
  Clients clients;

  @BeforeEach
  void start() throws Exception {
    node = BankNode.start(NodeConfig.forTest("alpha", dir));
    clients = new Clients(node.port());
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    node.close();
  }

  String open(String token, AccountKind kind) {
    return clients.as(token).openAccount(OpenAccountRequest.newBuilder().setKind(kind).build()).getAccount()
        .getAccount();
  }

  void deposit(String token, String account, long cents) {
    clients.as(token).deposit(DepositRequest.newBuilder().setAccount(account).setAmountCents(cents).build());
  }

  long balance(String token, String account) {
    return clients.as(token).getBalance(GetBalanceRequest.newBuilder().setAccount(account).build()).getBalanceCents();
  }

  static Leg transfer(String from, String to, long cents) {
    return Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to)
        .setAmountCents(cents).build();
  }

  static StatusRuntimeException fails(Status.Code code, String reason, org.junit.jupiter.api.function.Executable call) {
    var e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    assertEquals(reason, reason(e), e.getStatus().toString());
    return e;
  }

  @Test
  void depositTransferToPixKeyAndStatement_happyPath_balancesAndEntriesAgree() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String bia = clients.signUp("bia", Cpfs.cpf(2));
    String a = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    String b = open(bia, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    clients.as(bia).addPixKey(AddPixKeyRequest.newBuilder().setAccount(b).setType(PixKeyType.PIX_KEY_TYPE_EMAIL)
        .setValue("Bia@Example.com").build());
    deposit(ana, a, 10_000);

    var receipt = clients.as(ana).transfer(TransferRequest.newBuilder()
        .addLegs(transfer(a, "alpha:pix:bia@example.com", 2_550)).build()).getReceipt();

    assertEquals(b, receipt.getLegs(0).getToAccount(), "the PIX key resolves to bia's account");
    assertEquals(7_450, balance(ana, a));
    assertEquals(2_550, balance(bia, b));
    var statement = clients.as(ana).getStatement(GetStatementRequest.newBuilder().setAccount(a).build());
    assertEquals(2, statement.getEntriesCount());
    assertEquals(10_000, statement.getEntries(0).getAmountCents());
    assertEquals(-2_550, statement.getEntries(1).getAmountCents());
    assertEquals(7_450, statement.getEntries(1).getBalanceCents());
    assertTrue(statement.getEntries(0).getTimestamp().getCounter()
        < statement.getEntries(1).getTimestamp().getCounter(), "entries in timestamp order");
  }

  @Test
  void transfer_thirdLegOverdraws_appliesNoLeg() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String a = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    String b = open(clients.signUp("bia", Cpfs.cpf(2)), AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    deposit(ana, a, 1_000);

    var e = fails(Status.Code.FAILED_PRECONDITION, "INSUFFICIENT_FUNDS", () -> clients.as(ana).transfer(
        TransferRequest.newBuilder().addLegs(transfer(a, b, 400)).addLegs(transfer(a, b, 400))
            .addLegs(transfer(a, b, 400)).build()));

    assertTrue(e.getStatus().getDescription().contains("leg 2"), e.getStatus().getDescription());
    assertEquals(1_000, balance(ana, a));
    var account = clients.as(ana).getBalance(GetBalanceRequest.newBuilder().setAccount(a).build());
    assertEquals(1_000, account.getAvailableCents(), "no hold is left behind");
  }

  @Test
  void transfer_sameRequestIdTwice_appliesOnceAndReplays() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String a = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    String b = open(clients.signUp("bia", Cpfs.cpf(2)), AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    deposit(ana, a, 1_000);
    String id = UUID.randomUUID().toString();
    var req = TransferRequest.newBuilder().addLegs(transfer(a, b, 300)).setRequestId(id).build();

    var first = clients.as(ana).transfer(req).getReceipt();
    var second = clients.as(ana).transfer(req).getReceipt();

    assertEquals(first.getTransactionId(), second.getTransactionId());
    assertFalse(first.getReplayed());
    assertTrue(second.getReplayed());
    assertEquals(700, balance(ana, a));
    fails(Status.Code.ALREADY_EXISTS, "REQUEST_ID_REUSED", () -> clients.as(ana).transfer(
        TransferRequest.newBuilder().addLegs(transfer(a, b, 301)).setRequestId(id).build()));
  }

  @Test
  void someoneElsesAccount_readOrDebit_permissionDenied() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String eve = clients.signUp("eve", Cpfs.cpf(3));
    String a = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    String e = open(eve, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    deposit(ana, a, 1_000);

    fails(Status.Code.PERMISSION_DENIED, "NOT_ACCOUNT_HOLDER",
        () -> clients.as(eve).getBalance(GetBalanceRequest.newBuilder().setAccount(a).build()));
    fails(Status.Code.PERMISSION_DENIED, "NOT_ACCOUNT_HOLDER",
        () -> clients.as(eve).getStatement(GetStatementRequest.newBuilder().setAccount(a).build()));
    fails(Status.Code.PERMISSION_DENIED, "NOT_ACCOUNT_HOLDER",
        () -> clients.as(eve).transfer(TransferRequest.newBuilder().addLegs(transfer(a, e, 1)).build()));
    assertEquals(1_000, balance(ana, a));
  }

  @Test
  void login_wrongPasswordAndUnknownLogin_sameAnswer() {
    clients.signUp("ana", Cpfs.cpf(1));
    var wrong = fails(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", () -> clients.anonymous()
        .login(LoginRequest.newBuilder().setLogin("ana").setPassword("not the password").build()));
    var unknown = fails(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", () -> clients.anonymous()
        .login(LoginRequest.newBuilder().setLogin("nobody").setPassword("not the password").build()));
    assertEquals(wrong.getStatus().getDescription(), unknown.getStatus().getDescription());
  }

  @Test
  void logout_tokenRevoked_nextCallUnauthenticated() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    clients.as(ana).logout(LogoutRequest.getDefaultInstance());
    fails(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
        () -> clients.as(ana).listAccounts(ListAccountsRequest.getDefaultInstance()));
    fails(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
        () -> clients.anonymous().listAccounts(ListAccountsRequest.getDefaultInstance()));
  }

  @Test
  void jointAccount_secondHolderLogsInAndMovesMoney() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String bia = clients.signUp("bia", Cpfs.cpf(2));
    String joint = open(ana, AccountKind.ACCOUNT_KIND_JOINT);
    deposit(ana, joint, 500);
    fails(Status.Code.PERMISSION_DENIED, "NOT_ACCOUNT_HOLDER",
        () -> balance(bia, joint));

    clients.as(ana).addHolder(AddHolderRequest.newBuilder().setAccount(joint).setLogin("bia").build());

    clients.as(bia).withdraw(WithdrawRequest.newBuilder().setAccount(joint).setAmountCents(200).build());
    assertEquals(300, balance(ana, joint));
    fails(Status.Code.ALREADY_EXISTS, "ALREADY_MEMBER", () -> clients.as(ana).addHolder(
        AddHolderRequest.newBuilder().setAccount(joint).setLogin("bia").build()));
    fails(Status.Code.PERMISSION_DENIED, "NOT_PRIMARY_HOLDER", () -> clients.as(bia).addHolder(
        AddHolderRequest.newBuilder().setAccount(joint).setLogin("ana").build()));
  }

  @Test
  void businessAccount_employeeOperatesIt_othersCannot() {
    clients.anonymous().createCustomer(CreateCustomerRequest.newBuilder().setName("Acme Ltda")
        .setCnpj(Cpfs.cnpj(42)).setLogin("acme").setPassword("correct horse").build());
    String acme = clients.logIn("acme");
    String biz = open(acme, AccountKind.ACCOUNT_KIND_BUSINESS);
    String carl = clients.signUp("carl", Cpfs.cpf(4));
    fails(Status.Code.FAILED_PRECONDITION, "WRONG_CUSTOMER_KIND",
        () -> open(carl, AccountKind.ACCOUNT_KIND_BUSINESS));
    deposit(acme, biz, 900);

    clients.as(acme).addEmployee(AddEmployeeRequest.newBuilder().setAccount(biz).setLogin("carl").build());

    clients.as(carl).withdraw(WithdrawRequest.newBuilder().setAccount(biz).setAmountCents(100).build());
    assertEquals(800, balance(acme, biz));
    var key = clients.as(acme).addPixKey(AddPixKeyRequest.newBuilder().setAccount(biz)
        .setType(PixKeyType.PIX_KEY_TYPE_CNPJ).setValue(Cpfs.cnpj(42)).build()).getKey();
    assertEquals(Cpfs.cnpj(42), key.getValue());
  }

  @Test
  void pixKeys_rules_eachRefusedWithItsReason() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String a = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    var stub = clients.as(ana);
    fails(Status.Code.FAILED_PRECONDITION, "PIX_KEY_NOT_OWNED", () -> stub.addPixKey(AddPixKeyRequest.newBuilder()
        .setAccount(a).setType(PixKeyType.PIX_KEY_TYPE_CPF).setValue(Cpfs.cpf(2)).build()));
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_PHONE", () -> stub.addPixKey(AddPixKeyRequest.newBuilder()
        .setAccount(a).setType(PixKeyType.PIX_KEY_TYPE_PHONE).setValue("12345").build()));
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_PIX_KEY_TYPE", () -> stub.addPixKey(AddPixKeyRequest.newBuilder()
        .setAccount(a).setValue("x@y.com").build()));
    stub.addPixKey(AddPixKeyRequest.newBuilder().setAccount(a).setType(PixKeyType.PIX_KEY_TYPE_CPF)
        .setValue(Cpfs.cpf(1)).build());
    fails(Status.Code.ALREADY_EXISTS, "PIX_KEY_TAKEN", () -> stub.addPixKey(AddPixKeyRequest.newBuilder()
        .setAccount(a).setType(PixKeyType.PIX_KEY_TYPE_CPF).setValue(Cpfs.cpf(1)).build()));
    for (int i = 0; i < 4; i++) {
      var evp = stub.addPixKey(AddPixKeyRequest.newBuilder().setAccount(a).setType(PixKeyType.PIX_KEY_TYPE_EVP)
          .build()).getKey();
      assertEquals(36, evp.getValue().length());
    }
    fails(Status.Code.FAILED_PRECONDITION, "TOO_MANY_PIX_KEYS", () -> stub.addPixKey(AddPixKeyRequest.newBuilder()
        .setAccount(a).setType(PixKeyType.PIX_KEY_TYPE_EMAIL).setValue("ana@example.com").build()));
    assertEquals(5, stub.listPixKeys(ListPixKeysRequest.newBuilder().setAccount(a).build()).getKeysCount());
    stub.removePixKey(RemovePixKeyRequest.newBuilder().setAccount(a).setValue(Cpfs.cpf(1)).build());
    assertEquals(4, stub.listPixKeys(ListPixKeysRequest.newBuilder().setAccount(a).build()).getKeysCount());
    fails(Status.Code.NOT_FOUND, "PIX_KEY_NOT_FOUND", () -> stub.removePixKey(
        RemovePixKeyRequest.newBuilder().setAccount(a).setValue(Cpfs.cpf(1)).build()));
  }

  @Test
  void badInput_eachRefusedWithCodeAndReason_nothingChanges() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String a = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    deposit(ana, a, 100);
    var anon = clients.anonymous();
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_NAME", () -> anon.createCustomer(CreateCustomerRequest.newBuilder()
        .setName(" ").setCpf(Cpfs.cpf(5)).setLogin("zed").setPassword("correct horse").build()));
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_CPF", () -> anon.createCustomer(CreateCustomerRequest.newBuilder()
        .setName("Zed").setCpf("123.456.789-00").setLogin("zed").setPassword("correct horse").build()));
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_CNPJ", () -> anon.createCustomer(CreateCustomerRequest.newBuilder()
        .setName("Zed").setCnpj("11.222.333/0001-00").setLogin("zed").setPassword("correct horse").build()));
    fails(Status.Code.INVALID_ARGUMENT, "WEAK_PASSWORD", () -> anon.createCustomer(CreateCustomerRequest.newBuilder()
        .setName("Zed").setCpf(Cpfs.cpf(5)).setLogin("zed").setPassword("short").build()));
    fails(Status.Code.ALREADY_EXISTS, "LOGIN_TAKEN", () -> anon.createCustomer(CreateCustomerRequest.newBuilder()
        .setName("Zed").setCpf(Cpfs.cpf(5)).setLogin("ana").setPassword("correct horse").build()));
    var stub = clients.as(ana);
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_AMOUNT", () -> stub.deposit(DepositRequest.newBuilder()
        .setAccount(a).setAmountCents(0).build()));
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_AMOUNT", () -> stub.deposit(DepositRequest.newBuilder()
        .setAccount(a).setAmountCents(1_000_000_000_000_001L).build()));
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_ACCOUNT_ID", () -> stub.deposit(DepositRequest.newBuilder()
        .setAccount("alpha-1001").setAmountCents(1).build()));
    fails(Status.Code.NOT_FOUND, "ACCOUNT_NOT_FOUND", () -> stub.deposit(DepositRequest.newBuilder()
        .setAccount("alpha:999999").setAmountCents(1).build()));
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_REQUEST_ID", () -> stub.deposit(DepositRequest.newBuilder()
        .setAccount(a).setAmountCents(1).setRequestId("not-a-uuid").build()));
    fails(Status.Code.INVALID_ARGUMENT, "NO_LEGS", () -> stub.transfer(TransferRequest.getDefaultInstance()));
    var tooMany = TransferRequest.newBuilder();
    for (int i = 0; i < 65; i++) {
      tooMany.addLegs(transfer(a, "alpha:1", 1));
    }
    fails(Status.Code.INVALID_ARGUMENT, "TOO_MANY_LEGS", () -> stub.transfer(tooMany.build()));
    fails(Status.Code.NOT_FOUND, "BANK_NOT_FOUND", () -> stub.transfer(TransferRequest.newBuilder()
        .addLegs(transfer(a, "omega:1001", 1)).build()));
    fails(Status.Code.INVALID_ARGUMENT, "INVALID_ACCOUNT_KIND", () -> stub.openAccount(
        OpenAccountRequest.getDefaultInstance()));
    assertEquals(100, balance(ana, a));
    assertEquals(1, stub.listAccounts(ListAccountsRequest.getDefaultInstance()).getAccountsCount());
  }

  @Test
  void admin_listsCustomersAndOperations_onlyWithAdminToken() {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String a = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    deposit(ana, a, 100);
    assertThrows(StatusRuntimeException.class, () -> clients.as(ana).deposit(DepositRequest.newBuilder()
        .setAccount(a).setAmountCents(-5).build()));

    var customers = clients.admin("test-admin-token").listCustomers(ListCustomersRequest.getDefaultInstance());
    var ops = clients.admin("test-admin-token").listOperations(ListOperationsRequest.getDefaultInstance());

    assertEquals("ana", customers.getCustomers(0).getLogin());
    assertEquals(1, ops.getOperationsCount());
    assertEquals(OperationStatus.OPERATION_STATUS_COMMITTED, ops.getOperations(0).getStatus());
    fails(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", () -> clients.admin(ana)
        .listCustomers(ListCustomersRequest.getDefaultInstance()));
  }

  @Test
  void restart_keepsAnsweredOperationsSessionsAndRequestIds() throws Exception {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String a = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    String id = UUID.randomUUID().toString();
    var req = DepositRequest.newBuilder().setAccount(a).setAmountCents(4_200).setRequestId(id).build();
    String txn = clients.as(ana).deposit(req).getReceipt().getTransactionId();
    clients.close();
    node.close();

    node = BankNode.start(NodeConfig.forTest("alpha", dir));
    clients = new Clients(node.port());

    assertEquals(4_200, balance(ana, a), "the session and the balance survive");
    var retry = clients.as(ana).deposit(req).getReceipt();
    assertEquals(txn, retry.getTransactionId());
    assertTrue(retry.getReplayed());
    assertEquals(4_200, balance(ana, a));
    String b = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    assertFalse(b.equals(a), "account numbers are not reused after a restart");
  }

  /** The field a refusal's BadRequest names, and its ErrorInfo metadata. */
  static String badField(StatusRuntimeException e) {
    var status = io.grpc.protobuf.StatusProto.fromThrowable(e);
    return status.getDetailsList().stream().filter(a -> a.is(com.google.rpc.BadRequest.class)).findFirst()
        .map(a -> {
          try {
            return a.unpack(com.google.rpc.BadRequest.class).getFieldViolations(0).getField();
          } catch (com.google.protobuf.InvalidProtocolBufferException x) {
            throw new IllegalStateException(x);
          }
        }).orElse("");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} {2}")
  @org.junit.jupiter.params.provider.CsvSource({
      // request, account (own/unknown), cents, code, reason, field
      "deposit,  own,     0,        INVALID_ARGUMENT,    INVALID_AMOUNT,      amount_cents",
      "deposit,  own,     -5,       INVALID_ARGUMENT,    INVALID_AMOUNT,      amount_cents",
      "deposit,  unknown, 100,      NOT_FOUND,           ACCOUNT_NOT_FOUND,   account",
      "withdraw, own,     0,        INVALID_ARGUMENT,    INVALID_AMOUNT,      amount_cents",
      "withdraw, own,     999999,   FAILED_PRECONDITION, INSUFFICIENT_FUNDS,  amount_cents",
      "withdraw, unknown, 100,      NOT_FOUND,           ACCOUNT_NOT_FOUND,   account",
  })
  void depositAndWithdrawRefusals_nameTheRequestsOwnFields(String request, String which, long cents,
      Status.Code code, String reason, String field) {
    String ana = clients.signUp("ana", Cpfs.cpf(1));
    String own = open(ana, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    deposit(ana, own, 1_000);
    String account = which.equals("own") ? own : "alpha:9999";
    var e = fails(code, reason, () -> {
      if (request.equals("deposit")) {
        clients.as(ana).deposit(DepositRequest.newBuilder().setAccount(account).setAmountCents(cents).build());
      } else {
        clients.as(ana).withdraw(dev.distribank.proto.bank.v1.WithdrawRequest.newBuilder().setAccount(account)
            .setAmountCents(cents).build());
      }
    });
    assertEquals(field, badField(e), e.getStatus().toString());
    assertEquals(1_000, balance(ana, own), "nothing changed");
  }
}
