package dev.distribank.node.loop;

import dev.distribank.node.auth.Sessions;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.order.OrderCore;
import dev.distribank.node.core.order.Outcome;
import dev.distribank.node.store.Store;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Everything a bank node's event-loop thread owns: the ledger, the ordering core, the sessions, and the store for
 * reads. Only code running on the loop (through {@link EventLoop#call}) may touch it.
 */
public final class BankState {
  private final Bank bank;
  private final OrderCore core;
  private final Sessions sessions;
  private final Store store;
  private final Supplier<UUID> uuids;
  private final Map<Long, CompletableFuture<Outcome>> waiting = new HashMap<>();
  private final Map<Long, CompletableFuture<AuditTrail.Snapshot>> waitingSnapshots = new HashMap<>();
  private long lastTag;
  private Runnable beforeStoreRead = () -> {};

  public BankState(Bank bank, OrderCore core, Sessions sessions, Store store, Supplier<UUID> uuids) {
    this.bank = bank;
    this.core = core;
    this.sessions = sessions;
    this.store = store;
    this.uuids = uuids;
  }

  public Bank bank() {
    return bank;
  }

  public OrderCore core() {
    return core;
  }

  public Sessions sessions() {
    return sessions;
  }

  /**
   * The store, for reads: first waits until every batch the loop handed to its writer is durable, so a read sees
   * everything the loop's memory already holds (a statement agrees with the balance beside it).
   */
  public Store store() {
    beforeStoreRead.run();
    return store;
  }

  /** The store without waiting, for the loop's own writes. */
  Store storeForWrites() {
    return store;
  }

  void beforeStoreRead(Runnable wait) {
    this.beforeStoreRead = wait;
  }

  /** A fresh random UUID (EVP keys). */
  public String newUuid() {
    return uuids.get().toString();
  }

  /** The customer behind a bearer token, or UNAUTHENTICATED. */
  public Principal authenticate(String token) {
    return bank.principal(sessions.login(token));
  }

  /** Starts a transaction; the future completes once its outcome is durable (and, if committed, applied). */
  public CompletableFuture<Outcome> submit(Principal principal, List<Leg> legs, String requestId) {
    long tag = ++lastTag;
    var answer = new CompletableFuture<Outcome>();
    waiting.put(tag, answer);
    core.submit(tag, principal, legs, requestId);
    return answer;
  }

  /** This bank's totals as of an audit's cut; completes once everything up to the cut is applied here. */
  public CompletableFuture<AuditTrail.Snapshot> snapshot(long atCounter) {
    long tag = ++lastTag;
    var answer = new CompletableFuture<AuditTrail.Snapshot>();
    waitingSnapshots.put(tag, answer);
    core.snapshot(tag, atCounter);
    return answer;
  }

  CompletableFuture<AuditTrail.Snapshot> takeWaitingSnapshot(long tag) {
    return waitingSnapshots.remove(tag);
  }

  /** The client future registered under {@code tag}, removed; null if none (a recovered transaction). */
  CompletableFuture<Outcome> takeWaiting(long tag) {
    return waiting.remove(tag);
  }

  /** Every client future still waiting, removed (the loop is failing). */
  Iterable<CompletableFuture<?>> takeAllWaiting() {
    var all = new java.util.ArrayList<CompletableFuture<?>>(waiting.values());
    all.addAll(waitingSnapshots.values());
    waiting.clear();
    waitingSnapshots.clear();
    return all;
  }
}
