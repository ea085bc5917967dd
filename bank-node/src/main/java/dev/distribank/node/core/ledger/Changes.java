package dev.distribank.node.core.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the ledger changed since the last durable write: the store turns it into one atomic RocksDB batch. Accounts are
 * remembered by reference and written in their state at write time, so an account changed ten times is written once.
 */
public final class Changes {
  private final Map<String, Customer> customers = new LinkedHashMap<>();
  private final Set<Account> accounts = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, Optional<PixKey>> pixKeys = new LinkedHashMap<>();
  private final List<LedgerEntry> entries = new ArrayList<>();
  private final Set<Consent> consents = Collections.newSetFromMap(new IdentityHashMap<>());

  void customer(Customer customer) {
    customers.put(customer.login(), customer);
  }

  void account(Account account) {
    accounts.add(account);
  }

  void pixKeyPut(PixKey key) {
    pixKeys.put(key.value(), Optional.of(key));
  }

  void pixKeyDeleted(String value) {
    pixKeys.put(value, Optional.empty());
  }

  void entry(LedgerEntry entry) {
    entries.add(entry);
  }

  void consent(Consent consent) {
    consents.add(consent);
  }

  /** Consents granted, revoked or used: written in their state at write time. */
  public Iterable<Consent> consents() {
    return consents;
  }

  public Iterable<Customer> customers() {
    return customers.values();
  }

  public Iterable<Account> accounts() {
    return accounts;
  }

  /** Key value → the key to store, or empty to delete it. */
  public Map<String, Optional<PixKey>> pixKeys() {
    return pixKeys;
  }

  public List<LedgerEntry> entries() {
    return entries;
  }
}
