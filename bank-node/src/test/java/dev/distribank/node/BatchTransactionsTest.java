package dev.distribank.node;

import static dev.distribank.node.ClusterTest.assertFlows;
import static dev.distribank.node.ClusterTest.leg;
import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SubmitTransactions and StreamTransactions against four real bank nodes on loopback: each transaction of a batch is
 * answered in its place and on its own (the good ones applied, exactly once; the bad ones refused as a Transfer
 * would be, changing nothing), and cross-bank batches leave every pair of banks agreeing in the audit.
 */
class BatchTransactionsTest {
  static final List<String> BANKS = ClusterTest.BANKS;
  static final String ADMIN = "test-admin-token";
  @TempDir Path dir;
  LocalCluster cluster;
  /** Ana, with a login and an account at every bank, each login consented at the other banks. */
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  final Map<String, String> accounts = new ConcurrentHashMap<>();
  /** Ana's second account at alpha, for transfers that stay at one bank. */
  String savings;

  @BeforeEach
  void start() throws Exception {
    cluster = new LocalCluster(dir, BANKS);
    for (String bank : BANKS) {
      String token = cluster.at(bank).signUp("ana", Cpfs.cpf(11));
      tokens.put(bank, token);
      accounts.put(bank, open(bank, token));
    }
    savings = open("alpha", tokens.get("alpha"));
    Clients.consentEverywhere(cluster::at, "ana", tokens, accounts);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private String open(String bank, String token) {
    return cluster.at(bank).as(token).openAccount(OpenAccountRequest.newBuilder()
        .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
  }

  private long balance(String account) {
    String bank = account.substring(0, account.indexOf(':'));
    return cluster.at(bank).as(tokens.get(bank)).getBalance(GetBalanceRequest.newBuilder().setAccount(account)
        .build()).getBalanceCents();
  }

  private void deposit(String account, long cents) {
    String bank = account.substring(0, account.indexOf(':'));
    cluster.at(bank).as(tokens.get(bank)).deposit(DepositRequest.newBuilder().setAccount(account)
        .setAmountCents(cents).build());
  }

  private static TransferRequest transaction(String requestId, Leg... legs) {
    return TransferRequest.newBuilder().addAllLegs(List.of(legs)).setRequestId(requestId).build();
  }

  private SubmitTransactionsResponse submit(String bank, String token, List<TransferRequest> transactions) {
    return cluster.at(bank).as(token).submitTransactions(SubmitTransactionsRequest.newBuilder()
        .addAllTransactions(transactions).build());
  }

  /** Result {@code r} is the refusal {@code code}/{@code reason}, naming {@code field} (null: no field). */
  private static void assertRefused(TransactionResult r, Status.Code code, String reason, String field)
      throws Exception {
    assertEquals(TransactionResult.OutcomeCase.ERROR, r.getOutcomeCase(), r::toString);
    assertEquals(code.value(), r.getError().getCode(), r::toString);
    var infos = r.getError().getDetailsList().stream().filter(d -> d.is(ErrorInfo.class)).toList();
    assertEquals(1, infos.size(), r::toString);
    assertEquals(reason, infos.get(0).unpack(ErrorInfo.class).getReason(), r::toString);
    var fields = new ArrayList<String>();
    for (var d : r.getError().getDetailsList()) {
      if (d.is(BadRequest.class)) {
        d.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> fields.add(v.getField()));
      }
    }
    assertEquals(field == null ? List.of() : List.of(field), fields, r::toString);
  }

  @Test
  void mixedBatch_eachTransactionAnsweredInItsPlace_exactlyTheGoodOnesApplied() throws Exception {
    String alpha = accounts.get("alpha");
    deposit(alpha, 1_000);
    String earlierId = "00000000-0000-4000-8000-00000000e001";
    var earlier = transaction(earlierId, leg(alpha, savings, 100));
    String earlierTxn = cluster.at("alpha").as(tokens.get("alpha")).transfer(earlier).getReceipt()
        .getTransactionId();
    String goodId = "00000000-0000-4000-8000-00000000e002";

    var batch = List.of(
        transaction(goodId, leg(alpha, accounts.get("beta"), 200)),
        transaction("", leg(alpha, "alpha:9999", 1)),
        transaction("", leg(alpha, accounts.get("gamma"), 5_000)),
        transaction(earlierId, leg(alpha, savings, 101)),
        earlier,
        transaction("", Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(alpha)
            .setToAccount(savings).build()),
        transaction("", leg(savings, accounts.get("delta"), 50)),
        transaction(goodId, leg(alpha, accounts.get("beta"), 200)));
    var results = submit("alpha", tokens.get("alpha"), batch).getResultsList();

    assertEquals(batch.size(), results.size());
    for (int i = 0; i < results.size(); i++) {
      assertEquals(i, results.get(i).getIndex());
      assertEquals(batch.get(i).getRequestId(), results.get(i).getRequestId());
    }
    var good = results.get(0).getReceipt();
    assertFalse(good.getReplayed());
    assertRefused(results.get(1), Status.Code.NOT_FOUND, "ACCOUNT_NOT_FOUND", "transactions[1].legs[0].to_account");
    assertRefused(results.get(2), Status.Code.FAILED_PRECONDITION, "INSUFFICIENT_FUNDS",
        "transactions[2].legs[0].amount_cents");
    assertRefused(results.get(3), Status.Code.ALREADY_EXISTS, "REQUEST_ID_REUSED", "transactions[3].request_id");
    assertEquals(earlierTxn, results.get(4).getReceipt().getTransactionId(), "a retry gets the first outcome");
    assertTrue(results.get(4).getReceipt().getReplayed());
    assertRefused(results.get(5), Status.Code.INVALID_ARGUMENT, "INVALID_AMOUNT",
        "transactions[5].legs[0].amount_cents");
    assertEquals(TransactionResult.OutcomeCase.RECEIPT, results.get(6).getOutcomeCase(), results.get(6)::toString);
    assertEquals(good.getTransactionId(), results.get(7).getReceipt().getTransactionId(),
        "the same request twice in one batch is one transaction");
    assertTrue(results.get(7).getReceipt().getReplayed());

    assertEquals(1_000 - 100 - 200, balance(alpha));
    assertEquals(100 - 50, balance(savings));
    assertEquals(200, balance(accounts.get("beta")), "the good cross-bank transfer applied once");
    assertEquals(0, balance(accounts.get("gamma")), "the overdraft moved nothing");
    assertEquals(50, balance(accounts.get("delta")));
  }

  @Test
  void batchOf8190_allCommit_andOf8191_refusedAsAWhole() {
    String alpha = accounts.get("alpha");
    deposit(alpha, 10_000);
    var full = new ArrayList<TransferRequest>();
    for (int i = 0; i < 8_190; i++) {
      full.add(transaction("", leg(alpha, savings, 1)));
    }

    var results = submit("alpha", tokens.get("alpha"), full).getResultsList();

    assertEquals(8_190, results.size());
    assertTrue(results.stream().allMatch(r -> r.getOutcomeCase() == TransactionResult.OutcomeCase.RECEIPT),
        () -> results.stream().filter(TransactionResult::hasError).findFirst().map(Object::toString).orElse(""));
    assertEquals(8_190, results.stream().map(r -> r.getReceipt().getTransactionId()).distinct().count());
    assertEquals(10_000 - 8_190, balance(alpha));
    assertEquals(8_190, balance(savings));

    full.add(transaction("", leg(alpha, savings, 1)));
    var e = assertThrows(StatusRuntimeException.class, () -> submit("alpha", tokens.get("alpha"), full));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("TOO_MANY_TRANSACTIONS", reason(e));
    assertEquals(8_190, balance(savings), "a batch refused as a whole moves nothing");
  }

  @Test
  void crossBankBatches_commitAtBothBanks_andEveryPairAgreesInTheAudit() {
    for (String bank : BANKS) {
      deposit(accounts.get(bank), 100_000);
    }
    var sent = new TreeMap<String, Long>();
    var expected = new TreeMap<String, Long>();
    BANKS.forEach(bank -> expected.put(bank, 100_000L));
    for (String coordinator : BANKS) {
      var batch = new ArrayList<TransferRequest>();
      long cents = 1;
      for (String from : BANKS) {
        for (String to : BANKS) {
          if (!from.equals(to)) {
            batch.add(transaction("", leg(accounts.get(from), accounts.get(to), cents)));
            sent.merge(from + ">" + to, cents, Long::sum);
            expected.merge(from, -cents, Long::sum);
            expected.merge(to, cents, Long::sum);
            cents++;
          }
        }
      }
      var results = submit(coordinator, tokens.get(coordinator), batch).getResultsList();
      assertTrue(results.stream().allMatch(TransactionResult::hasReceipt), results::toString);
      assertTrue(results.stream().allMatch(r -> r.getReceipt().getTransactionId().startsWith(coordinator + "-")));
    }

    for (String bank : BANKS) {
      assertEquals(expected.get(bank), balance(accounts.get(bank)), "applied at " + bank);
    }
    AuditResponse audit = cluster.at("beta").admin(ADMIN).audit(AuditRequest.getDefaultInstance());
    assertTrue(audit.getBalanced(), audit::toString);
    assertEquals(400_000, audit.getDepositsCents());
    assertFlows(audit, sent);
  }

  @Test
  void strangersBatch_refusedPerTransactionWithPermissionDenied_movesNothing() throws Exception {
    String alpha = accounts.get("alpha");
    deposit(alpha, 1_000);
    String bia = cluster.at("alpha").signUp("bia", Cpfs.cpf(12));
    String bob = cluster.at("beta").signUp("bob", Cpfs.cpf(13));

    var atHome = submit("alpha", bia, List.of(transaction("", leg(alpha, savings, 1)),
        transaction("", leg(alpha, accounts.get("beta"), 2)))).getResultsList();
    var fromAfar = submit("beta", bob, List.of(transaction("", leg(alpha, accounts.get("beta"), 3)))).getResultsList();

    for (int i = 0; i < atHome.size(); i++) {
      assertRefused(atHome.get(i), Status.Code.PERMISSION_DENIED, "NOT_ACCOUNT_HOLDER",
          "transactions[" + i + "].legs[0].from_account");
    }
    assertRefused(fromAfar.get(0), Status.Code.PERMISSION_DENIED, "CONSENT_REQUIRED",
        "transactions[0].legs[0].from_account");
    assertEquals(1_000, balance(alpha));
    assertEquals(0, balance(savings));
    assertEquals(0, balance(accounts.get("beta")));
  }

  @Test
  void emptyOrUnsignedBatch_refusedAsAWhole_movesNothing() {
    String alpha = accounts.get("alpha");
    deposit(alpha, 1_000);
    var one = List.of(transaction("", leg(alpha, savings, 1)));

    var empty = assertThrows(StatusRuntimeException.class, () -> submit("alpha", tokens.get("alpha"), List.of()));
    var unsigned = assertThrows(StatusRuntimeException.class, () -> cluster.at("alpha").anonymous()
        .submitTransactions(SubmitTransactionsRequest.newBuilder().addAllTransactions(one).build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
    assertEquals("NO_TRANSACTIONS", reason(empty));
    assertEquals(Status.Code.UNAUTHENTICATED, unsigned.getStatus().getCode());
    assertEquals(1_000, balance(alpha));
  }

  /** Collects a stream's answers, and how it ended. */
  private static final class Answers implements StreamObserver<StreamTransactionsResponse> {
    final List<TransactionResult> results = new ArrayList<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();

    @Override
    public synchronized void onNext(StreamTransactionsResponse r) {
      results.add(r.getResult());
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }

  private Answers stream(String bank, String token, List<TransferRequest> transactions) throws Exception {
    var answers = new Answers();
    var stub = BankServiceGrpc.newStub(cluster.at(bank).channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    var requests = (token.isEmpty() ? stub : stub.withInterceptors(
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(Clients.bearer(token)))).streamTransactions(answers);
    transactions.forEach(t -> requests.onNext(StreamTransactionsRequest.newBuilder().setTransaction(t).build()));
    requests.onCompleted();
    answers.end.get(30, TimeUnit.SECONDS);
    return answers;
  }

  @Test
  void stream_answersEveryTransactionByItsIndex_aRefusalDoesNotEndIt() throws Exception {
    String alpha = accounts.get("alpha");
    deposit(alpha, 1_000);
    var sent = new ArrayList<TransferRequest>();
    for (int i = 0; i < 40; i++) {
      sent.add(i == 7 ? transaction("", leg(alpha, "alpha:9999", 1))
          : transaction("", leg(alpha, i % 2 == 0 ? savings : accounts.get("gamma"), 10)));
    }

    Answers answers = stream("alpha", tokens.get("alpha"), sent);

    assertEquals(Status.OK, answers.end.get());
    assertEquals(40, answers.results.size());
    var byIndex = new TreeMap<Long, TransactionResult>();
    answers.results.forEach(r -> byIndex.put(r.getIndex(), r));
    assertEquals(40, byIndex.size(), "each index answered once");
    assertRefused(byIndex.get(7L), Status.Code.NOT_FOUND, "ACCOUNT_NOT_FOUND", "transaction.legs[0].to_account");
    assertEquals(39, byIndex.values().stream().filter(TransactionResult::hasReceipt).count());
    assertEquals(1_000 - 39 * 10, balance(alpha));
    assertEquals(19 * 10, balance(accounts.get("gamma")));
  }

  @Test
  void stream_notSignedIn_endsUnauthenticated_movesNothing() throws Exception {
    String alpha = accounts.get("alpha");
    deposit(alpha, 1_000);

    Answers answers = stream("alpha", "", List.of(transaction("", leg(alpha, savings, 1))));

    assertEquals(Status.Code.UNAUTHENTICATED, answers.end.get().getCode());
    assertEquals(List.of(), answers.results);
    assertEquals(1_000, balance(alpha));
  }
}
