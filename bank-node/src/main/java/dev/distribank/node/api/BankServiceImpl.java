package dev.distribank.node.api;

import dev.distribank.node.app.BankApplication;
import dev.distribank.node.app.PageRequest;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.proto.bank.v1.*;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * BankService: each method reads the request into domain values ({@link ApiProtos}), calls the
 * {@link BankApplication}, and writes its answer back; {@link Replies} answers, {@link Errors} maps every refusal.
 */
public final class BankServiceImpl extends BankServiceGrpc.BankServiceImplBase {
  private final BankApplication app;

  public BankServiceImpl(BankApplication app) {
    this.app = app;
  }

  /**
   * Reads a request, then calls the bank with it. A request that cannot be read is refused only once its caller is
   * known: an unknown caller is told so, and nothing about its request.
   */
  private <Q, T> CompletableFuture<T> signedIn(String token, Supplier<Q> read, Function<Q, CompletableFuture<T>> call) {
    Q request;
    try {
      request = read.get();
    } catch (Rejection.Rejected unreadable) {
      return app.refuse(token, unreadable);
    }
    return call.apply(request);
  }

  @Override
  public void createCustomer(CreateCustomerRequest req, StreamObserver<CreateCustomerResponse> out) {
    Replies.answer(app.signUp(ApiProtos.newCustomer(req)),
        c -> CreateCustomerResponse.newBuilder().setCustomer(ApiProtos.toProto(c, app.bankId())).build(), out);
  }

  @Override
  public void login(LoginRequest req, StreamObserver<LoginResponse> out) {
    Replies.answer(app.signIn(req.getLogin(), req.getPassword(), Caller.address()),
        s -> ApiProtos.toProto(s, app.bankId()), out);
  }

  @Override
  public void logout(LogoutRequest req, StreamObserver<LogoutResponse> out) {
    Replies.answer(app.signOut(Caller.token()), done -> LogoutResponse.getDefaultInstance(), out);
  }

  @Override
  public void openAccount(OpenAccountRequest req, StreamObserver<OpenAccountResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.accountKind(req.getKind()), kind -> app.openAccount(token, kind)),
        a -> OpenAccountResponse.newBuilder().setAccount(ApiProtos.toProto(a)).build(), out);
  }

  @Override
  public void getAccount(GetAccountRequest req, StreamObserver<GetAccountResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()), id -> app.account(token, id)),
        a -> GetAccountResponse.newBuilder().setAccount(ApiProtos.toProto(a)).build(), out);
  }

  @Override
  public void getBalance(GetBalanceRequest req, StreamObserver<GetBalanceResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()), id -> app.account(token, id)),
        a -> GetBalanceResponse.newBuilder().setAccount(a.id().toString()).setBalanceCents(a.balanceCents())
            .setAvailableCents(a.availableCents()).build(), out);
  }

  @Override
  public void listAccounts(ListAccountsRequest req, StreamObserver<ListAccountsResponse> out) {
    Replies.answer(app.accounts(Caller.token()), accounts -> ListAccountsResponse.newBuilder()
        .addAllAccounts(accounts.stream().map(ApiProtos::toProto).toList()).build(), out);
  }

  @Override
  public void addHolder(AddHolderRequest req, StreamObserver<AddHolderResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()),
            id -> app.addHolder(token, id, req.getLogin())),
        a -> AddHolderResponse.newBuilder().setAccount(ApiProtos.toProto(a)).build(), out);
  }

  @Override
  public void addEmployee(AddEmployeeRequest req, StreamObserver<AddEmployeeResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()),
            id -> app.addEmployee(token, id, req.getLogin())),
        a -> AddEmployeeResponse.newBuilder().setAccount(ApiProtos.toProto(a)).build(), out);
  }

  @Override
  public void addPixKey(AddPixKeyRequest req, StreamObserver<AddPixKeyResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()),
            id -> app.addPixKey(token, id, TypeProtos.fromProto(req.getType()), req.getValue())),
        k -> AddPixKeyResponse.newBuilder().setKey(ApiProtos.toProto(k)).build(), out);
  }

  @Override
  public void listPixKeys(ListPixKeysRequest req, StreamObserver<ListPixKeysResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()), id -> app.pixKeys(token, id)),
        keys -> ListPixKeysResponse.newBuilder().addAllKeys(keys.stream().map(ApiProtos::toProto).toList()).build(),
        out);
  }

  @Override
  public void removePixKey(RemovePixKeyRequest req, StreamObserver<RemovePixKeyResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()),
            id -> app.removePixKey(token, id, req.getValue())),
        k -> RemovePixKeyResponse.newBuilder().setKey(ApiProtos.toProto(k)).build(), out);
  }

  @Override
  public void deposit(DepositRequest req, StreamObserver<DepositResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.cash(req.getAccount(), req.getAmountCents(),
            req.getRequestId()), d -> app.deposit(token, d)),
        c -> DepositResponse.newBuilder().setReceipt(ApiProtos.toProto(c)).build(), out);
  }

  @Override
  public void withdraw(WithdrawRequest req, StreamObserver<WithdrawResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.cash(req.getAccount(), req.getAmountCents(),
            req.getRequestId()), w -> app.withdraw(token, w)),
        c -> WithdrawResponse.newBuilder().setReceipt(ApiProtos.toProto(c)).build(), out);
  }

  @Override
  public void transfer(TransferRequest req, StreamObserver<TransferResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.transfer(req), t -> app.transfer(token, t)),
        c -> TransferResponse.newBuilder().setReceipt(ApiProtos.toProto(c)).build(), out);
  }

  @Override
  public void submitTransactions(SubmitTransactionsRequest req, StreamObserver<SubmitTransactionsResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> BatchProtos.batch(req), batch -> app.submitAll(token, batch)),
        outcomes -> BatchProtos.toProto(outcomes, req), out);
  }

  @Override
  public StreamObserver<StreamTransactionsRequest> streamTransactions(
      StreamObserver<StreamTransactionsResponse> out) {
    return TransactionStream.open(app, Caller.token(), out);
  }

  @Override
  public void getStatement(GetStatementRequest req, StreamObserver<GetStatementResponse> out) {
    String token = Caller.token();
    var page = new PageRequest(req.getPageSize(), req.getPageToken());
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()), id -> app.statement(token, id, page)),
        p -> GetStatementResponse.newBuilder().addAllEntries(p.items().stream().map(TypeProtos::toProto).toList())
            .setNextPageToken(p.nextPageToken()).build(), out);
  }

  @Override
  public void grantConsent(GrantConsentRequest req, StreamObserver<GrantConsentResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.consentGrant(req, app::isMember),
            grant -> app.grantConsent(token, grant)),
        c -> GrantConsentResponse.newBuilder().setConsent(ApiProtos.toProto(c)).build(), out);
  }

  @Override
  public void listConsents(ListConsentsRequest req, StreamObserver<ListConsentsResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> ApiProtos.account(req.getAccount()), id -> app.consents(token, id)),
        all -> ListConsentsResponse.newBuilder().addAllConsents(all.stream().map(ApiProtos::toProto).toList())
            .build(), out);
  }

  @Override
  public void revokeConsent(RevokeConsentRequest req, StreamObserver<RevokeConsentResponse> out) {
    String token = Caller.token();
    Replies.answer(signedIn(token, () -> new AccountAndGrantee(ApiProtos.account(req.getAccount()),
            ApiProtos.grantee(req.getGrantee(), app::isMember)), r -> app.revokeConsent(token, r.account(),
            r.grantee())),
        c -> RevokeConsentResponse.newBuilder().setConsent(ApiProtos.toProto(c)).build(), out);
  }

  /** RevokeConsent's two fields, read in their order. */
  private record AccountAndGrantee(AccountId account, Principal grantee) {}
}
