package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkNotNull;

/** A registered PIX key: a normalised value naming one account of this bank. */
public record PixKey(PixKeyType type, String value, AccountId account) {
  public PixKey {
    checkNotNull(type);
    checkNotNull(value);
    checkNotNull(account);
  }
}
