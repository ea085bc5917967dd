package dev.distribank.node.app;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.ledger.PixKey;
import dev.distribank.node.core.ledger.PixKeyType;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.Outcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What this bank does for whoever calls it, whatever the transport: domain values in, a future of domain values out.
 * The gRPC services convert a request, call one of these, and convert the answer back; nothing else.
 *
 * <p>Each future completes once everything the call changed is durable, with values that are the caller's to keep
 * (no live ledger object escapes). It fails with a {@link Rejection.Rejected} refusal, which changed nothing, or
 * with {@link NodeStopping} when the node stops before answering. A customer names itself by its session token, the
 * operator by the node's admin token; the caller is checked before anything it asked, so an unknown caller hears
 * UNAUTHENTICATED and never what else was wrong with its request.
 */
public interface BankApplication {
  /** This bank's id. */
  String bankId();

  /** Whether {@code bank} is one of the consortium's banks (this one included). */
  boolean isMember(String bank);

  /**
   * Refuses, with {@code refusal}, a request that could not even be read into domain values — but only once the
   * caller behind {@code token} is known, so a caller's refusal ranks first here as everywhere.
   */
  <T> CompletableFuture<T> refuse(String token, Rejection.Rejected refusal);

  // ---- signing up, in and out

  /** A new customer; every field is checked before the (slow) password hash. */
  CompletableFuture<Customer> signUp(NewCustomer customer);

  /** A session for {@code login} if {@code password} is right; throttled per login and per client address. */
  CompletableFuture<SignedIn> signIn(String login, String password, String clientAddress);

  /** Ends the session behind {@code token}. */
  CompletableFuture<Void> signOut(String token);

  // ---- accounts

  CompletableFuture<AccountView> openAccount(String token, AccountKind kind);

  /** An account the caller holds or works for. */
  CompletableFuture<AccountView> account(String token, AccountId account);

  /** Every account the caller holds or works for, in number order. */
  CompletableFuture<List<AccountView>> accounts(String token);

  /** Adds {@code login} as a holder of a joint account; only its primary holder may. */
  CompletableFuture<AccountView> addHolder(String token, AccountId account, String login);

  /** Adds {@code login} as an employee of a business account; only the company may. */
  CompletableFuture<AccountView> addEmployee(String token, AccountId account, String login);

  /** One page of an account's ledger entries, oldest first. */
  CompletableFuture<Page<LedgerEntry>> statement(String token, AccountId account, PageRequest page);

  // ---- PIX keys

  /** Registers a key; {@code type} is null when the request named none (refused after the account's checks). */
  CompletableFuture<PixKey> addPixKey(String token, AccountId account, PixKeyType type, String value);

  CompletableFuture<List<PixKey>> pixKeys(String token, AccountId account);

  /** Removes one of the account's keys, given in any of its accepted spellings. */
  CompletableFuture<PixKey> removePixKey(String token, AccountId account, String value);

  // ---- money: each completes once the transaction is decided and applied, or fails with why it was not

  CompletableFuture<Outcome.Committed> deposit(String token, Cash deposit);

  CompletableFuture<Outcome.Committed> withdraw(String token, Cash withdrawal);

  CompletableFuture<Outcome.Committed> transfer(String token, Transfer transfer);

  /**
   * Every transaction of {@code batch} at once: the caller is checked once, and every transaction submitted in one
   * loop task, so they share one durable write (and one signature for the votes they need). Completes, once each is
   * decided (and, if committed, applied), with one outcome per transaction in the batch's order: committed, or
   * aborted with its own refusal, as {@link #transfer} would have answered it. It fails as a whole only for what
   * concerns the whole batch: an unknown caller, an overloaded or stopping node.
   */
  CompletableFuture<List<Outcome>> submitAll(String token, Batch batch);

  // ---- consents

  CompletableFuture<ConsentView> grantConsent(String token, ConsentGrant grant);

  /** Every consent ever given on an account the caller operates, newest first. */
  CompletableFuture<List<ConsentView>> consents(String token, AccountId account);

  CompletableFuture<ConsentView> revokeConsent(String token, AccountId account, Principal grantee);

  // ---- the operator

  /** Completes when {@code token} is the operator's; fails UNAUTHENTICATED otherwise. */
  CompletableFuture<Void> authorizeOperator(String token);

  /** One page of this bank's customers, in login order. */
  CompletableFuture<Page<Customer>> customers(String operatorToken, PageRequest page);

  /** One page of the operation log, newest first. */
  CompletableFuture<Page<Operation>> operations(String operatorToken, PageRequest page);

  /** Every bank of the consortium as this one sees it: health, link, refused messages. */
  CompletableFuture<List<MemberStatus>> consortium(String operatorToken);

  // ---- audits (this bank's own auditor, and the other banks' through PeerService)

  /** This bank's Lamport clock. */
  CompletableFuture<Long> clock();

  /** This bank's totals as of an audit's cut, once everything up to the cut is applied here. */
  CompletableFuture<AuditTrail.Snapshot> snapshot(long atCounter);
}
