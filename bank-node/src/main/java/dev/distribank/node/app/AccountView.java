package dev.distribank.node.app;

import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import java.util.List;

/**
 * An account as it stood when the call ran. The ledger's {@link Account} changes under the event loop; this copy,
 * made on the loop, may be read on any thread.
 */
public record AccountView(AccountId id, AccountKind kind, List<String> holders, List<String> employees,
    long balanceCents, long availableCents) {

  public AccountView {
    holders = List.copyOf(holders);
    employees = List.copyOf(employees);
  }

  /** Call on the loop. */
  static AccountView of(Account a) {
    return new AccountView(a.id(), a.kind(), a.holders(), a.employees(), a.balanceCents(), a.availableCents());
  }
}
