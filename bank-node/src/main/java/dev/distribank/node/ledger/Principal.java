package dev.distribank.node.ledger;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Who asks for something: a customer signed in at {@code bank} as {@code login}. Other banks recognise the same person
 * by {@code taxId}, so a customer with accounts at two banks can move both from one session.
 */
public record Principal(String bank, String login, String taxId) {
  public Principal {
    checkNotNull(bank);
    checkNotNull(login);
    checkNotNull(taxId);
  }

  @Override
  public String toString() {
    return login + "@" + bank;
  }
}
