package dev.distribank.node.app;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The node's admin token, which the operator's calls must carry; compared in constant time. */
final class OperatorToken {
  private final byte[] token;

  OperatorToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** Refuses UNAUTHENTICATED unless {@code given} is the operator's token. */
  void check(String given) {
    if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      throw Rejection.of(Reason.UNAUTHENTICATED, "", "AdminService needs 'authorization: Bearer <admin token>', "
          + "the token the node was started with").toException();
    }
  }
}
