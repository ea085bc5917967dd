package dev.distribank.node.api;

import dev.distribank.node.auth.HashingPool;
import dev.distribank.node.auth.LoginThrottle;
import dev.distribank.node.auth.PasswordHasher;
import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.loop.BankState;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.proto.bank.v1.*;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * BankService: each method converts the request, runs it on the bank's event loop, and converts the answer back.
 * Password hashing (deliberately slow) runs on a bounded pool, never on the loop ({@link SignIn}).
 */
public final class BankServiceImpl extends BankServiceGrpc.BankServiceImplBase {
  private final EventLoop loop;
  private final SignIn signIn;

  public BankServiceImpl(EventLoop loop, PasswordHasher hasher, HashingPool hashing, LoginThrottle throttle) {
    this.loop = loop;
    this.signIn = new SignIn(loop, hasher, hashing, throttle);
  }

  @Override
  public void createCustomer(CreateCustomerRequest req, StreamObserver<CreateCustomerResponse> out) {
    Replies.answer(signIn.createCustomer(req), c -> CreateCustomerResponse.newBuilder()
        .setCustomer(ApiProtos.toProto(c, bankId())).build(), out);
  }

  @Override
  public void login(LoginRequest req, StreamObserver<LoginResponse> out) {
    Replies.answer(signIn.login(req, Caller.address()), r -> r, out);
  }

  @Override
  public void logout(LogoutRequest req, StreamObserver<LogoutResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> {
      s.sessions().login(token);
      s.sessions().close(token);
      return LogoutResponse.getDefaultInstance();
    }), r -> r, out);
  }

  @Override
  public void openAccount(OpenAccountRequest req, StreamObserver<OpenAccountResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> {
      Principal p = s.authenticate(token);
      var kind = TypeProtos.fromProto(req.getKind());
      if (kind == null) {
        throw Rejection.of(Reason.INVALID_ACCOUNT_KIND, "kind", "kind must be INDIVIDUAL, JOINT or BUSINESS")
            .toException();
      }
      return ApiProtos.toProto(s.bank().openAccount(p.login(), kind));
    }), a -> OpenAccountResponse.newBuilder().setAccount(a).build(), out);
  }

  @Override
  public void getAccount(GetAccountRequest req, StreamObserver<GetAccountResponse> out) {
    Replies.answer(ownAccount(req.getAccount()), a -> GetAccountResponse.newBuilder().setAccount(a).build(), out);
  }

  @Override
  public void getBalance(GetBalanceRequest req, StreamObserver<GetBalanceResponse> out) {
    Replies.answer(ownAccount(req.getAccount()), a -> GetBalanceResponse.newBuilder().setAccount(a.getAccount())
        .setBalanceCents(a.getBalanceCents()).setAvailableCents(a.getAvailableCents()).build(), out);
  }

  private CompletableFuture<dev.distribank.proto.bank.v1.Account> ownAccount(String account) {
    String token = Caller.token();
    return loop.call(s -> ApiProtos.toProto(ownAccount(s, token, account)));
  }

  private static Account ownAccount(BankState s, String token, String account) {
    Principal p = s.authenticate(token);
    return s.bank().accountOf(p, AccountId.parse(account, "account"), "account");
  }

  @Override
  public void listAccounts(ListAccountsRequest req, StreamObserver<ListAccountsResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> ListAccountsResponse.newBuilder().addAllAccounts(
        s.bank().accountsOf(s.authenticate(token)).stream().map(ApiProtos::toProto).toList()).build()),
        r -> r, out);
  }

  @Override
  public void addHolder(AddHolderRequest req, StreamObserver<AddHolderResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> ApiProtos.toProto(s.bank().addHolder(s.authenticate(token),
        AccountId.parse(req.getAccount(), "account"), req.getLogin()))),
        a -> AddHolderResponse.newBuilder().setAccount(a).build(), out);
  }

  @Override
  public void addEmployee(AddEmployeeRequest req, StreamObserver<AddEmployeeResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> ApiProtos.toProto(s.bank().addEmployee(s.authenticate(token),
        AccountId.parse(req.getAccount(), "account"), req.getLogin()))),
        a -> AddEmployeeResponse.newBuilder().setAccount(a).build(), out);
  }

  @Override
  public void addPixKey(AddPixKeyRequest req, StreamObserver<AddPixKeyResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> ApiProtos.toProto(s.bank().addPixKey(s.authenticate(token),
        AccountId.parse(req.getAccount(), "account"), TypeProtos.fromProto(req.getType()), req.getValue(),
        s.newUuid()))), k -> AddPixKeyResponse.newBuilder().setKey(k).build(), out);
  }

  @Override
  public void listPixKeys(ListPixKeysRequest req, StreamObserver<ListPixKeysResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> {
      Account a = ownAccount(s, token, req.getAccount());
      return ListPixKeysResponse.newBuilder().addAllKeys(
          s.bank().pixKeysOf(a.id()).stream().map(ApiProtos::toProto).toList()).build();
    }), r -> r, out);
  }

  @Override
  public void removePixKey(RemovePixKeyRequest req, StreamObserver<RemovePixKeyResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> ApiProtos.toProto(s.bank().removePixKey(s.authenticate(token),
        AccountId.parse(req.getAccount(), "account"), req.getValue()))),
        k -> RemovePixKeyResponse.newBuilder().setKey(k).build(), out);
  }

  @Override
  public void deposit(DepositRequest req, StreamObserver<DepositResponse> out) {
    var leg = dev.distribank.proto.bank.v1.Leg.newBuilder().setKind(LegKind.LEG_KIND_DEPOSIT)
        .setToAccount(req.getAccount()).setAmountCents(req.getAmountCents()).build();
    Replies.answer(Transactions.submitOne(loop, leg, req.getRequestId()),
        r -> DepositResponse.newBuilder().setReceipt(r).build(), out);
  }

  @Override
  public void withdraw(WithdrawRequest req, StreamObserver<WithdrawResponse> out) {
    var leg = dev.distribank.proto.bank.v1.Leg.newBuilder().setKind(LegKind.LEG_KIND_WITHDRAWAL)
        .setFromAccount(req.getAccount()).setAmountCents(req.getAmountCents()).build();
    Replies.answer(Transactions.submitOne(loop, leg, req.getRequestId()),
        r -> WithdrawResponse.newBuilder().setReceipt(r).build(), out);
  }

  @Override
  public void transfer(TransferRequest req, StreamObserver<TransferResponse> out) {
    Replies.answer(Transactions.submit(loop, req.getLegsList(), req.getRequestId()),
        r -> TransferResponse.newBuilder().setReceipt(r).build(), out);
  }

  @Override
  public void getStatement(GetStatementRequest req, StreamObserver<GetStatementResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> Statements.page(s, ownAccount(s, token, req.getAccount()), req)), r -> r, out);
  }

  @Override
  public void grantConsent(GrantConsentRequest req, StreamObserver<GrantConsentResponse> out) {
    Replies.answer(ConsentCalls.grant(loop, Caller.token(), req),
        c -> GrantConsentResponse.newBuilder().setConsent(c).build(), out);
  }

  @Override
  public void listConsents(ListConsentsRequest req, StreamObserver<ListConsentsResponse> out) {
    Replies.answer(ConsentCalls.list(loop, Caller.token(), req), r -> r, out);
  }

  @Override
  public void revokeConsent(RevokeConsentRequest req, StreamObserver<RevokeConsentResponse> out) {
    Replies.answer(ConsentCalls.revoke(loop, Caller.token(), req),
        c -> RevokeConsentResponse.newBuilder().setConsent(c).build(), out);
  }

  private String bankId() {
    return loop.bankId();
  }
}
