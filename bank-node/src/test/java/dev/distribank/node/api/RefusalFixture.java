package dev.distribank.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.AddEmployeeRequest;
import dev.distribank.proto.bank.v1.AddHolderRequest;
import dev.distribank.proto.bank.v1.AddPixKeyRequest;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.CreateCustomerRequest;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.ListOperationsRequest;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.OperationStatus;
import dev.distribank.proto.bank.v1.PixKeyType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The bank the refusal tables run against: a consortium of alpha and beta (real nodes on loopback, over TLS), with
 * customers and accounts whose ids are known, so a table row can name them. Every row is a refusal, so the state
 * below is the same for every row; {@link #assertNothingChanged} checks that at the end.
 *
 * <table>
 *   <caption>alpha's customers and accounts</caption>
 *   <tr><th>login</th><th>who</th><th>accounts</th></tr>
 *   <tr><td>ana</td><td>a person, {@code Cpfs.cpf(1)}</td><td>alpha:1001 (individual, 1,000 cents, e-mail key
 *       ana@example.com, a consent for beta:caio); alpha:1004 (joint, bia a second holder); alpha:1005
 *       (individual, its five PIX keys taken)</td></tr>
 *   <tr><td>bia</td><td>a person, {@code Cpfs.cpf(2)}</td><td>alpha:1002 (individual)</td></tr>
 *   <tr><td>acme</td><td>a company, {@code Cpfs.cnpj(42)}</td><td>alpha:1003 (business, carl its employee)</td></tr>
 *   <tr><td>carl</td><td>a person, {@code Cpfs.cpf(4)}</td><td>none of his own</td></tr>
 * </table>
 *
 * <p>At beta: caio (ana's consent lets him debit alpha:1001, at most 100 cents a transaction) and dora (no consent).
 * Ana's deposit was made with {@link #USED_REQUEST_ID}.
 */
final class RefusalFixture implements AutoCloseable {
  static final String ADMIN_TOKEN = "test-admin-token";
  static final String ANA_ACCOUNT = "alpha:1001";
  static final String BIA_ACCOUNT = "alpha:1002";
  static final String ACME_ACCOUNT = "alpha:1003";
  static final String JOINT_ACCOUNT = "alpha:1004";
  static final String FULL_ACCOUNT = "alpha:1005";
  static final long ANA_BALANCE_CENTS = 1_000;
  /** The request id of ana's first deposit, so a row can reuse it for something else. */
  static final String USED_REQUEST_ID = "00000000-0000-4000-8000-000000000001";

  private final LocalCluster cluster;
  private final Map<String, String> tokens;
  private final long operations;

  RefusalFixture(Path dir) throws Exception {
    cluster = new LocalCluster(dir, List.of("alpha", "beta"));
    Clients alpha = cluster.at("alpha");
    String ana = alpha.signUp("ana", Cpfs.cpf(1));
    String bia = alpha.signUp("bia", Cpfs.cpf(2));
    alpha.anonymous().createCustomer(CreateCustomerRequest.newBuilder().setName("Acme Ltda").setCnpj(Cpfs.cnpj(42))
        .setLogin("acme").setPassword("correct horse").build());
    String acme = alpha.logIn("acme");
    String carl = alpha.signUp("carl", Cpfs.cpf(4));
    assertEquals(ANA_ACCOUNT, open(alpha.as(ana), AccountKind.ACCOUNT_KIND_INDIVIDUAL));
    assertEquals(BIA_ACCOUNT, open(alpha.as(bia), AccountKind.ACCOUNT_KIND_INDIVIDUAL));
    assertEquals(ACME_ACCOUNT, open(alpha.as(acme), AccountKind.ACCOUNT_KIND_BUSINESS));
    assertEquals(JOINT_ACCOUNT, open(alpha.as(ana), AccountKind.ACCOUNT_KIND_JOINT));
    assertEquals(FULL_ACCOUNT, open(alpha.as(ana), AccountKind.ACCOUNT_KIND_INDIVIDUAL));
    alpha.as(ana).deposit(DepositRequest.newBuilder().setAccount(ANA_ACCOUNT).setAmountCents(ANA_BALANCE_CENTS)
        .setRequestId(USED_REQUEST_ID).build());
    alpha.as(ana).addPixKey(AddPixKeyRequest.newBuilder().setAccount(ANA_ACCOUNT)
        .setType(PixKeyType.PIX_KEY_TYPE_EMAIL).setValue("ana@example.com").build());
    for (int i = 0; i < 5; i++) {
      alpha.as(ana).addPixKey(AddPixKeyRequest.newBuilder().setAccount(FULL_ACCOUNT)
          .setType(PixKeyType.PIX_KEY_TYPE_EVP).build());
    }
    alpha.as(ana).addHolder(AddHolderRequest.newBuilder().setAccount(JOINT_ACCOUNT).setLogin("bia").build());
    alpha.as(acme).addEmployee(AddEmployeeRequest.newBuilder().setAccount(ACME_ACCOUNT).setLogin("carl").build());
    alpha.as(ana).grantConsent(GrantConsentRequest.newBuilder().setAccount(ANA_ACCOUNT).setGrantee("beta:caio")
        .setLimitPerTransactionCents(100).build());
    String caio = cluster.at("beta").signUp("caio", Cpfs.cpf(1));
    String dora = cluster.at("beta").signUp("dora", Cpfs.cpf(5));
    tokens = Map.of("ana", ana, "bia", bia, "acme", acme, "carl", carl, "caio", caio, "dora", dora,
        "admin", ADMIN_TOKEN, "stale", "a-token-nobody-was-given", "nobody", "");
    operations = operationCount();
  }

  private static String open(BankServiceGrpc.BankServiceBlockingStub stub, AccountKind kind) {
    return stub.openAccount(OpenAccountRequest.newBuilder().setKind(kind).build()).getAccount().getAccount();
  }

  /**
   * The caller a row names: a customer's login (ana, bia, acme, carl), {@code admin} (the operator's token),
   * {@code stale} (a token nobody was given) or {@code nobody} (no token at all).
   */
  String token(String caller) {
    String token = tokens.get(caller);
    if (token == null) {
      throw new IllegalArgumentException("no caller '" + caller + "' in the fixture");
    }
    return token;
  }

  /** The caller's bank: alpha, but beta for caio and dora. */
  BankServiceGrpc.BankServiceBlockingStub bank(String caller) {
    Clients at = cluster.at(caller.equals("caio") || caller.equals("dora") ? "beta" : "alpha");
    return token(caller).isEmpty() ? at.anonymous() : at.as(token(caller));
  }

  dev.distribank.proto.bank.v1.AdminServiceGrpc.AdminServiceBlockingStub admin(String caller) {
    return cluster.at("alpha").admin(token(caller));
  }

  LocalCluster cluster() {
    return cluster;
  }

  private long operationCount() {
    return cluster.at("alpha").admin(ADMIN_TOKEN).listOperations(ListOperationsRequest.getDefaultInstance())
        .getOperationsList().stream().filter(o -> o.getStatus() == OperationStatus.OPERATION_STATUS_COMMITTED)
        .count();
  }

  /** Refusals change nothing: no transaction committed, ana's balance is what it was. */
  void assertNothingChanged() {
    assertEquals(operations, operationCount(), "no refused request committed a transaction");
    assertEquals(ANA_BALANCE_CENTS, bank("ana").getBalance(GetBalanceRequest.newBuilder().setAccount(ANA_ACCOUNT)
        .build()).getBalanceCents());
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
