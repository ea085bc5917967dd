package dev.distribank.node.core.ledger;

/**
 * Why the bank refused something: the UPPER_SNAKE reason clients see in {@code google.rpc.ErrorInfo}.
 *
 * <p>Each reason belongs to one {@link Kind}; the API layer maps kinds to gRPC status codes in one place.
 */
public enum Reason {
  // Malformed input: the same request can never succeed.
  INVALID_NAME(Kind.INVALID),
  INVALID_LOGIN(Kind.INVALID),
  WEAK_PASSWORD(Kind.INVALID),
  INVALID_TAX_ID(Kind.INVALID),
  INVALID_CPF(Kind.INVALID),
  INVALID_CNPJ(Kind.INVALID),
  INVALID_EMAIL(Kind.INVALID),
  INVALID_PHONE(Kind.INVALID),
  INVALID_EVP(Kind.INVALID),
  INVALID_PIX_KEY_TYPE(Kind.INVALID),
  /** A PIX key given to look one up that no key can be (it holds a forbidden character). */
  INVALID_PIX_KEY(Kind.INVALID),
  INVALID_ACCOUNT_KIND(Kind.INVALID),
  INVALID_ACCOUNT_ID(Kind.INVALID),
  INVALID_AMOUNT(Kind.INVALID),
  INVALID_LEG(Kind.INVALID),
  NO_LEGS(Kind.INVALID),
  TOO_MANY_LEGS(Kind.INVALID),
  /** A batch of transactions (SubmitTransactions) with none in it. */
  NO_TRANSACTIONS(Kind.INVALID),
  /** A batch of more transactions than one call may carry. */
  TOO_MANY_TRANSACTIONS(Kind.INVALID),
  INVALID_REQUEST_ID(Kind.INVALID),
  INVALID_PAGE_TOKEN(Kind.INVALID),
  INVALID_PAGE_SIZE(Kind.INVALID),
  INVALID_GRANTEE(Kind.INVALID),
  INVALID_EXPIRE_TIME(Kind.INVALID),
  /** Bytes that are not the request message at all (not a protobuf, or not valid UTF-8 in a string field). */
  MALFORMED_REQUEST(Kind.INVALID),
  // Something named does not exist.
  BANK_NOT_FOUND(Kind.NOT_FOUND),
  ACCOUNT_NOT_FOUND(Kind.NOT_FOUND),
  PIX_KEY_NOT_FOUND(Kind.NOT_FOUND),
  CUSTOMER_NOT_FOUND(Kind.NOT_FOUND),
  CONSENT_NOT_FOUND(Kind.NOT_FOUND),
  // Something to be created exists already.
  LOGIN_TAKEN(Kind.EXISTS),
  TAX_ID_TAKEN(Kind.EXISTS),
  PIX_KEY_TAKEN(Kind.EXISTS),
  ALREADY_MEMBER(Kind.EXISTS),
  /** A request id already used by the same principal for another transaction (at this or another coordinator). */
  REQUEST_ID_REUSED(Kind.EXISTS),
  // Well-formed, but the state of the bank forbids it.
  INSUFFICIENT_FUNDS(Kind.PRECONDITION),
  BALANCE_OVERFLOW(Kind.PRECONDITION),
  TOO_MANY_PIX_KEYS(Kind.PRECONDITION),
  WRONG_ACCOUNT_KIND(Kind.PRECONDITION),
  WRONG_CUSTOMER_KIND(Kind.PRECONDITION),
  PIX_KEY_NOT_OWNED(Kind.PRECONDITION),
  // The caller may not do this.
  NOT_ACCOUNT_HOLDER(Kind.DENIED),
  NOT_PRIMARY_HOLDER(Kind.DENIED),
  /** A debit asked for by a customer of another bank, with no consent of the account's holder. */
  CONSENT_REQUIRED(Kind.DENIED),
  CONSENT_LIMIT_EXCEEDED(Kind.DENIED),
  CONSENT_EXPIRED(Kind.DENIED),
  /** A proposal speaking for a customer of a bank other than its coordinator: a bank vouches for its own only. */
  FOREIGN_PRINCIPAL(Kind.DENIED),
  // The caller is not (or no longer) known.
  UNAUTHENTICATED(Kind.UNAUTHENTICATED),
  // Too much at once: try again later (the answer says when).
  /** Too many failed sign-ins for a login or from an address: wait and try again. */
  LOGIN_THROTTLED(Kind.EXHAUSTED),
  /** The node is at a bound (a queue is full): try again shortly. */
  OVERLOADED(Kind.EXHAUSTED),
  // A bank the request needs cannot be reached.
  BANK_UNAVAILABLE(Kind.UNAVAILABLE),
  // The transaction could not be decided in time; it changed nothing.
  TIMED_OUT(Kind.UNAVAILABLE),
  /** A bank restarted after an audit's cut and cannot answer for it: audit again. */
  AUDIT_CUT_FORGOTTEN(Kind.UNAVAILABLE),
  // Nothing answers this method on this port.
  /** No such method here (PeerService, say, is served only on the peer port). */
  NO_SUCH_METHOD(Kind.UNIMPLEMENTED);

  /** Families of reasons, one per gRPC status code. */
  public enum Kind {
    INVALID, NOT_FOUND, EXISTS, PRECONDITION, DENIED, UNAUTHENTICATED, EXHAUSTED, UNAVAILABLE, UNIMPLEMENTED
  }

  private final Kind kind;

  Reason(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
