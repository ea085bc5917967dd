package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.List;

/**
 * An account's state, owned by the bank's single event-loop thread.
 *
 * <p>{@code balanceCents} is what committed transactions left. {@code heldCents} is reserved by debits of
 * transactions this bank voted YES on and that are not yet applied; {@code incomingCents} the same for credits. Both
 * are rebuilt from the pending votes on recovery, so only balance and the entry count are stored with the account.
 */
public final class Account {
  /**
   * A cap on any balance (R$ 10 quadrillion), checked at vote time with the credits already promised, so that a
   * credit accepted then can never overflow when applied.
   */
  public static final long MAX_BALANCE_CENTS = 1_000_000_000_000_000_000L;

  private final AccountId id;
  private final AccountKind kind;
  private final List<String> holders;
  private final List<String> employees;
  private long balanceCents;
  private long entryCount;
  private long heldCents;
  private long incomingCents;

  public Account(AccountId id, AccountKind kind, List<String> holders, List<String> employees, long balanceCents,
      long entryCount) {
    this.id = checkNotNull(id);
    this.kind = checkNotNull(kind);
    this.holders = new ArrayList<>(holders);
    this.employees = new ArrayList<>(employees);
    this.balanceCents = balanceCents;
    this.entryCount = entryCount;
  }

  public AccountId id() {
    return id;
  }

  public AccountKind kind() {
    return kind;
  }

  /** Logins of the holders; the first is the primary holder (the company, for a business account). */
  public List<String> holders() {
    return List.copyOf(holders);
  }

  public List<String> employees() {
    return List.copyOf(employees);
  }

  public String primaryHolder() {
    return holders.get(0);
  }

  public long balanceCents() {
    return balanceCents;
  }

  /** Balance minus holds: what a new debit may take. */
  public long availableCents() {
    return balanceCents - heldCents;
  }

  public long heldCents() {
    return heldCents;
  }

  public long entryCount() {
    return entryCount;
  }

  boolean hasMember(String login) {
    return holders.contains(login) || employees.contains(login);
  }

  void addHolder(String login) {
    holders.add(login);
  }

  void addEmployee(String login) {
    employees.add(login);
  }

  /** Whether a new credit of {@code amountCents} fits under the balance cap with the credits already promised. */
  boolean canReceive(long amountCents) {
    return MAX_BALANCE_CENTS - balanceCents - incomingCents >= amountCents;
  }

  void hold(long debitCents, long creditCents) {
    checkState(debitCents <= availableCents(), "hold of %s exceeds available %s on %s", debitCents, availableCents(),
        id);
    heldCents = Math.addExact(heldCents, debitCents);
    incomingCents = Math.addExact(incomingCents, creditCents);
  }

  void release(long debitCents, long creditCents) {
    heldCents = Math.subtractExact(heldCents, debitCents);
    incomingCents = Math.subtractExact(incomingCents, creditCents);
    checkState(heldCents >= 0 && incomingCents >= 0, "released more than held on %s", id);
  }

  /** Applies a held debit (negative) or a promised credit (positive); returns the new entry's sequence number. */
  long post(long signedCents) {
    balanceCents = Math.addExact(balanceCents, signedCents);
    checkState(balanceCents >= 0, "I2 broken: %s would go to %s", id, balanceCents);
    entryCount++;
    return entryCount;
  }
}
