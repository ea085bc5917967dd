package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A bank's customer. {@code taxId} (CPF or CNPJ digits) is who the customer is across the consortium; {@code login}
 * is how they sign in at this bank. The password is kept only as an encoded salted slow hash.
 */
public record Customer(String login, String name, CustomerKind kind, String taxId, String passwordHash) {
  public Customer {
    checkNotNull(login);
    checkNotNull(name);
    checkNotNull(kind);
    checkNotNull(taxId);
    checkNotNull(passwordHash);
  }
}
