package dev.distribank.node.core.ledger;

/** One holder, several holders, or a company's account operated by its employees. */
public enum AccountKind {
  INDIVIDUAL(5), JOINT(5), BUSINESS(20);

  private final int maxPixKeys;

  AccountKind(int maxPixKeys) {
    this.maxPixKeys = maxPixKeys;
  }

  /** The central bank's cap on PIX keys per account of this kind. */
  public int maxPixKeys() {
    return maxPixKeys;
  }
}
