package dev.distribank.node.app;

import dev.distribank.node.auth.HashingPool;
import dev.distribank.node.auth.LoginThrottle;
import dev.distribank.node.auth.PasswordHasher;
import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.PixKey;
import dev.distribank.node.core.ledger.PixKeyType;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.Outcome;
import dev.distribank.node.loop.BankState;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.rocksdb.RocksDBException;

/**
 * The {@link BankApplication} of a node: every operation runs on the bank's one event loop (the only thread that
 * touches its state) and answers once what it changed is durable; sign-up and sign-in hash on their own pool first.
 * Values leave the loop as copies ({@link AccountView}, {@link ConsentView}) or immutable records.
 */
public final class LoopBankApplication implements BankApplication {
  /** The page size of the operator's lists when the request names none. */
  static final int OPERATOR_PAGE = 100;
  /** The page size of statements when the request names none. */
  static final int STATEMENT_PAGE = 50;

  private final OnLoop loop;
  private final Set<String> members;
  private final SignIn signIn;
  private final OperatorToken operator;
  private final Supplier<List<MemberStatus>> consortium;
  private final BatchAdmission admission;

  /**
   * @param members every bank of the consortium, this one included
   * @param consortium how this bank sees the others right now (health, links), for the operator
   */
  public LoopBankApplication(EventLoop loop, Set<String> members, PasswordHasher hasher, HashingPool hashing,
      LoginThrottle throttle, String operatorToken, Supplier<List<MemberStatus>> consortium) {
    this(loop, members, hasher, hashing, throttle, operatorToken, consortium, BatchAdmission.DEFAULT);
  }

  /** As the public constructor, admitting batches within {@code admission}'s bounds (tests give small ones). */
  LoopBankApplication(EventLoop loop, Set<String> members, PasswordHasher hasher, HashingPool hashing,
      LoginThrottle throttle, String operatorToken, Supplier<List<MemberStatus>> consortium,
      BatchAdmission admission) {
    this.admission = admission;
    this.loop = new OnLoop(loop);
    this.members = Set.copyOf(members);
    this.signIn = new SignIn(this.loop, hasher, hashing, throttle);
    this.operator = new OperatorToken(operatorToken);
    this.consortium = consortium;
  }

  @Override
  public String bankId() {
    return loop.bankId();
  }

  @Override
  public boolean isMember(String bank) {
    return members.contains(bank);
  }

  @Override
  public <T> CompletableFuture<T> refuse(String token, Rejection.Rejected refusal) {
    return loop.call(s -> {
      s.authenticate(token);
      throw refusal;
    });
  }

  // ---- signing up, in and out

  @Override
  public CompletableFuture<Customer> signUp(NewCustomer customer) {
    return signIn.signUp(customer);
  }

  @Override
  public CompletableFuture<SignedIn> signIn(String login, String password, String clientAddress) {
    return signIn.signIn(login, password, clientAddress);
  }

  @Override
  public CompletableFuture<Void> signOut(String token) {
    return loop.call(s -> {
      s.sessions().login(token);
      s.sessions().close(token);
      return null;
    });
  }

  // ---- accounts

  @Override
  public CompletableFuture<AccountView> openAccount(String token, AccountKind kind) {
    return loop.call(s -> AccountView.of(s.bank().openAccount(s.authenticate(token).login(), kind)));
  }

  @Override
  public CompletableFuture<AccountView> account(String token, AccountId account) {
    return loop.call(s -> AccountView.of(operated(s, token, account)));
  }

  @Override
  public CompletableFuture<List<AccountView>> accounts(String token) {
    return loop.call(s -> s.bank().accountsOf(s.authenticate(token)).stream().map(AccountView::of).toList());
  }

  @Override
  public CompletableFuture<AccountView> addHolder(String token, AccountId account, String login) {
    return loop.call(s -> AccountView.of(s.bank().addHolder(s.authenticate(token), account, login)));
  }

  @Override
  public CompletableFuture<AccountView> addEmployee(String token, AccountId account, String login) {
    return loop.call(s -> AccountView.of(s.bank().addEmployee(s.authenticate(token), account, login)));
  }

  @Override
  public CompletableFuture<Page<LedgerEntry>> statement(String token, AccountId account, PageRequest page) {
    return loop.call(s -> {
      Account a = operated(s, token, account);
      int size = Paging.size(page, STATEMENT_PAGE);
      long after = Paging.position(page, 0);
      List<LedgerEntry> entries = read(() -> s.store().statement(a.id(), after, size), "the statement");
      boolean more = entries.size() == size && entries.get(size - 1).sequence() < a.entryCount();
      return new Page<>(entries, more ? Long.toString(entries.get(size - 1).sequence()) : "");
    });
  }

  /** The account, if the caller behind {@code token} holds it or works for it. */
  private static Account operated(BankState s, String token, AccountId account) {
    return s.bank().accountOf(s.authenticate(token), account, "account");
  }

  // ---- PIX keys

  @Override
  public CompletableFuture<PixKey> addPixKey(String token, AccountId account, PixKeyType type, String value) {
    return loop.call(s -> s.bank().addPixKey(s.authenticate(token), account, type, value, s.newUuid()));
  }

  @Override
  public CompletableFuture<List<PixKey>> pixKeys(String token, AccountId account) {
    return loop.call(s -> s.bank().pixKeysOf(operated(s, token, account).id()));
  }

  @Override
  public CompletableFuture<PixKey> removePixKey(String token, AccountId account, String value) {
    return loop.call(s -> s.bank().removePixKey(s.authenticate(token), account, value));
  }

  // ---- money

  @Override
  public CompletableFuture<Outcome.Committed> deposit(String token, Cash deposit) {
    return oneLeg(token, Leg.deposit(deposit.account(), deposit.amountCents()), deposit.requestId());
  }

  @Override
  public CompletableFuture<Outcome.Committed> withdraw(String token, Cash withdrawal) {
    return oneLeg(token, Leg.withdrawal(withdrawal.account(), withdrawal.amountCents()), withdrawal.requestId());
  }

  @Override
  public CompletableFuture<Outcome.Committed> transfer(String token, Transfer transfer) {
    return loop.await(s -> s.submit(s.authenticate(token), transfer.legs(), transfer.requestId()))
        .thenApply(LoopBankApplication::committed);
  }

  @Override
  public CompletableFuture<List<Outcome>> submitAll(String token, Batch batch) {
    try {
      admission.enter(bankId(), batch.size());
    } catch (Rejection.Rejected overloaded) {
      return CompletableFuture.failedFuture(overloaded);
    }
    var left = new AtomicBoolean();
    Runnable leave = () -> {
      if (left.compareAndSet(false, true)) {
        admission.started(batch.size());
      }
    };
    CompletableFuture<List<Outcome>> outcomes = loop.await(s -> {
      leave.run();
      return submitEach(s, token, batch);
    });
    outcomes.whenComplete((done, error) -> leave.run()); // it never ran: the loop's queue was full, or it stopped
    return outcomes;
  }

  /** On the loop: the caller once, the bound on transactions in flight, then every transaction of the batch. */
  private CompletableFuture<List<Outcome>> submitEach(BankState s, String token, Batch batch) {
    Principal principal = s.authenticate(token);
    admission.checkInFlight(bankId(), s.core().activeCoordinations(), batch.size());
    var outcomes = new ArrayList<CompletableFuture<Outcome>>(batch.size());
    for (Batch.Entry entry : batch.entries()) {
      outcomes.add(switch (entry) {
        case Batch.Readable r -> s.submit(principal, r.transfer().legs(), r.transfer().requestId());
        case Batch.Unreadable u -> CompletableFuture.completedFuture(new Outcome.Aborted(null, u.refusal()));
      });
    }
    return inOrder(outcomes);
  }

  /** Every outcome, in order, once the last is known; a failure of any (the loop stopping) fails them all. */
  private static CompletableFuture<List<Outcome>> inOrder(List<CompletableFuture<Outcome>> outcomes) {
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .thenApply(done -> outcomes.stream().map(CompletableFuture::join).toList());
  }

  /** A deposit or withdrawal: the bank's refusals of its one leg name the request's own fields. */
  private CompletableFuture<Outcome.Committed> oneLeg(String token, Leg leg, String requestId) {
    return OneLeg.inOwnFields(transfer(token, new Transfer(List.of(leg), requestId)));
  }

  /** The committed outcome, or its refusal thrown: an aborted transaction changed nothing anywhere. */
  private static Outcome.Committed committed(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Aborted a -> throw a.refusal().toException();
      case Outcome.Committed c -> c;
    };
  }

  // ---- consents

  @Override
  public CompletableFuture<ConsentView> grantConsent(String token, ConsentGrant g) {
    return loop.call(s -> ConsentView.of(s.bank().grantConsent(s.authenticate(token), g.account(), g.grantee(),
        g.limitPerTransactionCents(), g.totalLimitCents(), g.expiresAtMillis()), s.bank().nowMillis()));
  }

  @Override
  public CompletableFuture<List<ConsentView>> consents(String token, AccountId account) {
    return loop.call(s -> s.bank().consentsOf(s.authenticate(token), account).stream()
        .map(c -> ConsentView.of(c, s.bank().nowMillis())).toList());
  }

  @Override
  public CompletableFuture<ConsentView> revokeConsent(String token, AccountId account, Principal grantee) {
    return loop.call(s -> ConsentView.of(s.bank().revokeConsent(s.authenticate(token), account, grantee),
        s.bank().nowMillis()));
  }

  // ---- the operator

  @Override
  public CompletableFuture<Void> authorizeOperator(String token) {
    try {
      operator.check(token);
      return CompletableFuture.completedFuture(null);
    } catch (Rejection.Rejected r) {
      return CompletableFuture.failedFuture(r);
    }
  }

  @Override
  public CompletableFuture<Page<Customer>> customers(String operatorToken, PageRequest page) {
    return loop.call(s -> {
      operator.check(operatorToken);
      int size = Paging.size(page, OPERATOR_PAGE);
      List<Customer> customers = s.bank().customers(page.token(), size);
      return new Page<>(customers, customers.size() == size ? customers.get(size - 1).login() : "");
    });
  }

  @Override
  public CompletableFuture<Page<Operation>> operations(String operatorToken, PageRequest page) {
    return loop.call(s -> {
      operator.check(operatorToken);
      int size = Paging.size(page, OPERATOR_PAGE);
      long before = Paging.position(page, Long.MAX_VALUE);
      List<Store.LoggedOperation> logged = read(() -> s.store().operations(before, size), "the operation log");
      boolean more = logged.size() == size && logged.get(size - 1).sequence() > 1;
      return new Page<>(logged.stream().map(Store.LoggedOperation::operation).toList(),
          more ? Long.toString(logged.get(size - 1).sequence()) : "");
    });
  }

  @Override
  public CompletableFuture<List<MemberStatus>> consortium(String operatorToken) {
    return authorizeOperator(operatorToken).thenApply(ok -> consortium.get());
  }

  // ---- audits

  @Override
  public CompletableFuture<Long> clock() {
    return loop.call(s -> s.core().clock());
  }

  @Override
  public CompletableFuture<AuditTrail.Snapshot> snapshot(long atCounter) {
    return loop.await(s -> s.snapshot(atCounter));
  }

  /** A read of the store; a failed one is a broken invariant of the node, not the caller's fault. */
  private interface StoreRead<T> {
    T get() throws RocksDBException;
  }

  private static <T> T read(StoreRead<T> read, String what) {
    try {
      return read.get();
    } catch (RocksDBException e) {
      throw new IllegalStateException("reading " + what + " failed: " + e.getMessage(), e);
    }
  }
}
