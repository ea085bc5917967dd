package dev.distribank.node.api;

import com.google.protobuf.Timestamp;
import dev.distribank.node.auth.PasswordHasher;
import dev.distribank.node.ledger.Account;
import dev.distribank.node.ledger.AccountId;
import dev.distribank.node.ledger.Customer;
import dev.distribank.node.ledger.CustomerKind;
import dev.distribank.node.ledger.Principal;
import dev.distribank.node.ledger.Reason;
import dev.distribank.node.ledger.Rejection;
import dev.distribank.node.loop.BankState;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.wire.LedgerProtos;
import dev.distribank.proto.bank.v1.*;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * BankService: each method converts the request, runs it on the bank's event loop, and converts the answer back.
 * Password hashing (deliberately slow) runs on {@code hashing}, never on the loop.
 */
public final class BankServiceImpl extends BankServiceGrpc.BankServiceImplBase {
  private final EventLoop loop;
  private final PasswordHasher hasher;
  private final Executor hashing;

  public BankServiceImpl(EventLoop loop, PasswordHasher hasher, Executor hashing) {
    this.loop = loop;
    this.hasher = hasher;
    this.hashing = hashing;
  }

  @Override
  public void createCustomer(CreateCustomerRequest req, StreamObserver<CreateCustomerResponse> out) {
    CustomerKind kind = switch (req.getTaxIdCase()) {
      case CPF -> CustomerKind.INDIVIDUAL;
      case CNPJ -> CustomerKind.COMPANY;
      case TAXID_NOT_SET -> null;
    };
    String rawTaxId = kind == CustomerKind.COMPANY ? req.getCnpj() : req.getCpf();
    CompletableFuture<Customer> created = CompletableFuture
        .supplyAsync(() -> {
          String taxId = dev.distribank.node.ledger.Bank.checkNewCustomer(req.getName(), kind, rawTaxId,
              req.getLogin());
          checkPassword(req.getPassword());
          return new String[] {taxId, hasher.hash(req.getPassword())};
        }, hashing)
        .thenCompose(h -> loop.call(s -> s.bank().createCustomer(req.getName(), kind, h[0], req.getLogin(), h[1])));
    Replies.answer(created, c -> CreateCustomerResponse.newBuilder()
        .setCustomer(LedgerProtos.toProto(c, bankId())).build(), out);
  }

  private static void checkPassword(String password) {
    if (password.length() < PasswordHasher.MIN_PASSWORD_LENGTH
        || password.length() > PasswordHasher.MAX_PASSWORD_LENGTH) {
      throw Rejection.of(Reason.WEAK_PASSWORD, "password", "password must have " + PasswordHasher.MIN_PASSWORD_LENGTH
          + " to " + PasswordHasher.MAX_PASSWORD_LENGTH + " characters").toException();
    }
  }

  @Override
  public void login(LoginRequest req, StreamObserver<LoginResponse> out) {
    CompletableFuture<LoginResponse> answer = loop.call(s -> s.bank().findCustomer(req.getLogin()))
        .thenApplyAsync(c -> {
          if (!hasher.verify(req.getPassword(), c == null ? null : c.passwordHash())) {
            throw Rejection.of(Reason.UNAUTHENTICATED, "", "wrong login or password").toException();
          }
          return c;
        }, hashing)
        .thenCompose(c -> loop.call(s -> {
          String token = s.sessions().open(c.login());
          var expiry = s.sessions().expiryOf(token);
          return LoginResponse.newBuilder().setToken(token)
              .setExpireTime(Timestamp.newBuilder().setSeconds(expiry.getEpochSecond()).setNanos(expiry.getNano()))
              .setCustomer(LedgerProtos.toProto(c, s.bank().id())).build();
        }));
    Replies.answer(answer, r -> r, out);
  }

  @Override
  public void logout(LogoutRequest req, StreamObserver<LogoutResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> {
      s.sessions().login(token);
      s.sessions().close(token);
      return LogoutResponse.getDefaultInstance();
    }), r -> r, out);
  }

  @Override
  public void openAccount(OpenAccountRequest req, StreamObserver<OpenAccountResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> {
      Principal p = s.authenticate(token);
      var kind = LedgerProtos.fromProto(req.getKind());
      if (kind == null) {
        throw Rejection.of(Reason.INVALID_ACCOUNT_KIND, "kind", "kind must be INDIVIDUAL, JOINT or BUSINESS")
            .toException();
      }
      return LedgerProtos.toProto(s.bank().openAccount(p.login(), kind));
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
    String token = BearerToken.current();
    return loop.call(s -> LedgerProtos.toProto(ownAccount(s, token, account)));
  }

  private static Account ownAccount(BankState s, String token, String account) {
    Principal p = s.authenticate(token);
    return s.bank().accountOf(p, AccountId.parse(account, "account"), "account");
  }

  @Override
  public void listAccounts(ListAccountsRequest req, StreamObserver<ListAccountsResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> ListAccountsResponse.newBuilder().addAllAccounts(
        s.bank().accountsOf(s.authenticate(token)).stream().map(LedgerProtos::toProto).toList()).build()),
        r -> r, out);
  }

  @Override
  public void addHolder(AddHolderRequest req, StreamObserver<AddHolderResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> LedgerProtos.toProto(s.bank().addHolder(s.authenticate(token),
        AccountId.parse(req.getAccount(), "account"), req.getLogin()))),
        a -> AddHolderResponse.newBuilder().setAccount(a).build(), out);
  }

  @Override
  public void addEmployee(AddEmployeeRequest req, StreamObserver<AddEmployeeResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> LedgerProtos.toProto(s.bank().addEmployee(s.authenticate(token),
        AccountId.parse(req.getAccount(), "account"), req.getLogin()))),
        a -> AddEmployeeResponse.newBuilder().setAccount(a).build(), out);
  }

  @Override
  public void addPixKey(AddPixKeyRequest req, StreamObserver<AddPixKeyResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> LedgerProtos.toProto(s.bank().addPixKey(s.authenticate(token),
        AccountId.parse(req.getAccount(), "account"), LedgerProtos.fromProto(req.getType()), req.getValue(),
        s.newUuid()))), k -> AddPixKeyResponse.newBuilder().setKey(k).build(), out);
  }

  @Override
  public void listPixKeys(ListPixKeysRequest req, StreamObserver<ListPixKeysResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> {
      Account a = ownAccount(s, token, req.getAccount());
      return ListPixKeysResponse.newBuilder().addAllKeys(
          s.bank().pixKeysOf(a.id()).stream().map(LedgerProtos::toProto).toList()).build();
    }), r -> r, out);
  }

  @Override
  public void removePixKey(RemovePixKeyRequest req, StreamObserver<RemovePixKeyResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> LedgerProtos.toProto(s.bank().removePixKey(s.authenticate(token),
        AccountId.parse(req.getAccount(), "account"), req.getValue()))),
        k -> RemovePixKeyResponse.newBuilder().setKey(k).build(), out);
  }

  @Override
  public void deposit(DepositRequest req, StreamObserver<DepositResponse> out) {
    var leg = dev.distribank.proto.bank.v1.Leg.newBuilder().setKind(LegKind.LEG_KIND_DEPOSIT)
        .setToAccount(req.getAccount()).setAmountCents(req.getAmountCents()).build();
    Replies.answer(Transactions.submit(loop, List.of(leg), req.getRequestId()),
        r -> DepositResponse.newBuilder().setReceipt(r).build(), out);
  }

  @Override
  public void withdraw(WithdrawRequest req, StreamObserver<WithdrawResponse> out) {
    var leg = dev.distribank.proto.bank.v1.Leg.newBuilder().setKind(LegKind.LEG_KIND_WITHDRAWAL)
        .setFromAccount(req.getAccount()).setAmountCents(req.getAmountCents()).build();
    Replies.answer(Transactions.submit(loop, List.of(leg), req.getRequestId()),
        r -> WithdrawResponse.newBuilder().setReceipt(r).build(), out);
  }

  @Override
  public void transfer(TransferRequest req, StreamObserver<TransferResponse> out) {
    Replies.answer(Transactions.submit(loop, req.getLegsList(), req.getRequestId()),
        r -> TransferResponse.newBuilder().setReceipt(r).build(), out);
  }

  @Override
  public void getStatement(GetStatementRequest req, StreamObserver<GetStatementResponse> out) {
    String token = BearerToken.current();
    Replies.answer(loop.call(s -> Statements.page(s, ownAccount(s, token, req.getAccount()), req)), r -> r, out);
  }

  private String bankId() {
    return loop.bankId();
  }
}
