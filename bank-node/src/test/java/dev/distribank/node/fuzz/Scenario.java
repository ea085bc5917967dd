package dev.distribank.node.fuzz;

import static java.util.stream.Collectors.joining;

import dev.distribank.node.fuzz.Attempt.Caller;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.Account;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.AddPixKeyRequest;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.Consent;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetStatementRequest;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.LedgerEntry;
import dev.distribank.proto.bank.v1.ListAccountsRequest;
import dev.distribank.proto.bank.v1.ListConsentsRequest;
import dev.distribank.proto.bank.v1.ListPixKeysRequest;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.PixKey;
import dev.distribank.proto.bank.v1.PixKeyType;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The people and money the hostile requests aim at. At alpha, the victim {@code vera} holds an individual account
 * (with a PIX key, and a consent letting {@code beta:vitor} debit it up to {@value #CONSENT_TOTAL_CENTS} cents in
 * all) and a joint account, both funded; {@code sam} is signed in at alpha and owns nothing. At beta, {@code mallory}
 * registered vera's CPF (which proves nothing across banks) and {@code vitor} is the consent's grantee; neither owns
 * anything. {@link #read} records everything the requests must leave exactly as it was.
 */
final class Scenario {
  static final String ALPHA = "alpha";
  static final String BETA = "beta";
  static final String ADMIN_TOKEN = "test-admin-token";
  /** {@link Clients#signUp}'s password: no generated request may carry it. */
  static final String PASSWORD = "correct horse";
  static final String VICTIM_CPF = Cpfs.cpf(271_828_182);
  static final String PIX_KEY = "vera@example.com";
  static final long ACCOUNT_CENTS = 100_000;
  static final long JOINT_CENTS = 50_000;
  static final long CONSENT_TOTAL_CENTS = 500;

  final Caller victim;
  final Caller stranger;
  /** The stranger's token, valid at alpha only, sent to beta. */
  final Caller strangerAbroad;
  final Caller impostor;
  final Caller grantee;
  /** vera's individual account, {@code alpha:N}: the PIX key and the consent are on it. */
  final String account;
  /** vera's joint account. */
  final String joint;

  private Scenario(String victimToken, String strangerToken, String impostorToken, String granteeToken,
      String account, String joint) {
    this.victim = new Caller("vera@alpha (victim)", victimToken);
    this.stranger = new Caller("sam@alpha (stranger)", strangerToken);
    this.strangerAbroad = new Caller("sam@alpha's token at beta", strangerToken);
    this.impostor = new Caller("mallory@beta (victim's CPF)", impostorToken);
    this.grantee = new Caller("vitor@beta (grantee)", granteeToken);
    this.account = account;
    this.joint = joint;
  }

  static Scenario setUp(LocalCluster cluster) {
    Clients alpha = cluster.at(ALPHA);
    Clients beta = cluster.at(BETA);
    String vera = alpha.signUp("vera", VICTIM_CPF);
    String account = open(alpha, vera, AccountKind.ACCOUNT_KIND_INDIVIDUAL);
    String joint = open(alpha, vera, AccountKind.ACCOUNT_KIND_JOINT);
    alpha.as(vera).deposit(DepositRequest.newBuilder().setAccount(account).setAmountCents(ACCOUNT_CENTS).build());
    alpha.as(vera).deposit(DepositRequest.newBuilder().setAccount(joint).setAmountCents(JOINT_CENTS).build());
    alpha.as(vera).addPixKey(AddPixKeyRequest.newBuilder().setAccount(account)
        .setType(PixKeyType.PIX_KEY_TYPE_EMAIL).setValue(PIX_KEY).build());
    alpha.as(vera).grantConsent(GrantConsentRequest.newBuilder().setAccount(account).setGrantee("beta:vitor")
        .setTotalLimitCents(CONSENT_TOTAL_CENTS).build());
    String sam = alpha.signUp("sam", Cpfs.cpf(314_159_265));
    String mallory = beta.signUp("mallory", VICTIM_CPF);
    String vitor = beta.signUp("vitor", Cpfs.cpf(161_803_398));
    return new Scenario(vera, sam, mallory, vitor, account, joint);
  }

  private static String open(Clients bank, String token, AccountKind kind) {
    return bank.as(token).openAccount(OpenAccountRequest.newBuilder().setKind(kind).build()).getAccount()
        .getAccount();
  }

  /** The victim's accounts, individual first. */
  List<String> victimAccounts() {
    return List.of(account, joint);
  }

  /** Everything hostile requests must not change, as the bank reports it. */
  record Ledger(AuditResponse audit, List<Account> victimAccounts, Map<String, List<LedgerEntry>> statements,
      Map<String, List<Consent>> consents, Map<String, List<PixKey>> pixKeys, Map<String, List<Account>> othersOwn) {}

  Ledger read(LocalCluster cluster) {
    Clients alpha = cluster.at(ALPHA);
    var audit = alpha.admin(ADMIN_TOKEN).audit(AuditRequest.getDefaultInstance()).toBuilder().clearAtCounter().build();
    var accounts = alpha.as(victim.token()).listAccounts(ListAccountsRequest.getDefaultInstance()).getAccountsList();
    var statements = new LinkedHashMap<String, List<LedgerEntry>>();
    var consents = new LinkedHashMap<String, List<Consent>>();
    var pixKeys = new LinkedHashMap<String, List<PixKey>>();
    for (String a : victimAccounts()) {
      statements.put(a, statement(alpha, a));
      consents.put(a, alpha.as(victim.token()).listConsents(ListConsentsRequest.newBuilder().setAccount(a).build())
          .getConsentsList());
      pixKeys.put(a, alpha.as(victim.token()).listPixKeys(ListPixKeysRequest.newBuilder().setAccount(a).build())
          .getKeysList());
    }
    var othersOwn = new LinkedHashMap<String, List<Account>>();
    othersOwn.put(stranger.name(), accountsOf(alpha, stranger));
    othersOwn.put(impostor.name(), accountsOf(cluster.at(BETA), impostor));
    othersOwn.put(grantee.name(), accountsOf(cluster.at(BETA), grantee));
    return new Ledger(audit, accounts, statements, consents, pixKeys, othersOwn);
  }

  private List<LedgerEntry> statement(Clients alpha, String account) {
    var entries = new ArrayList<LedgerEntry>();
    String page = "";
    do {
      var answer = alpha.as(victim.token()).getStatement(GetStatementRequest.newBuilder().setAccount(account)
          .setPageSize(1000).setPageToken(page).build());
      entries.addAll(answer.getEntriesList());
      page = answer.getNextPageToken();
    } while (!page.isEmpty());
    return entries;
  }

  private static List<Account> accountsOf(Clients bank, Caller who) {
    return bank.as(who.token()).listAccounts(ListAccountsRequest.getDefaultInstance()).getAccountsList();
  }

  /**
   * A bearer token no bank issued: random printable ASCII, a random token of the real shape (43 base64url
   * characters), or the admin token misspelt. Never with surrounding spaces: the server trims those.
   */
  static Caller forged(Random r) {
    String token = switch (r.nextInt(4)) {
      case 0 -> r.ints(1 + r.nextInt(200), 0x21, 0x7F).collect(StringBuilder::new, StringBuilder::appendCodePoint,
          StringBuilder::append).toString();
      case 1 -> r.ints(43, 0, 64).mapToObj(i -> String.valueOf(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(i))).collect(joining());
      case 2 -> ADMIN_TOKEN.substring(0, ADMIN_TOKEN.length() - 1 - r.nextInt(5));
      default -> switch (r.nextInt(3)) {
        case 0 -> ADMIN_TOKEN.toUpperCase(java.util.Locale.ROOT);
        case 1 -> ADMIN_TOKEN + "x";
        default -> "Bearer." + ADMIN_TOKEN;
      };
    };
    return new Caller("a forged token", token);
  }

  /** The grpc.health.v1 answer of {@code bank} for the whole server. */
  static HealthCheckResponse.ServingStatus health(LocalCluster cluster, String bank) {
    return HealthGrpc.newBlockingStub(cluster.at(bank).channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }
}
