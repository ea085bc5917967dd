package dev.distribank.node.app;

import dev.distribank.node.auth.HashingPool;
import dev.distribank.node.auth.LoginThrottle;
import dev.distribank.node.auth.PasswordHasher;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Text;
import dev.distribank.node.log.QuietLog;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Signing up and signing in: the two calls that hash a password. Hashes run on the bounded {@link HashingPool},
 * never on the loop; sign-in is throttled per login and per client address ({@link LoginThrottle}), and a throttled
 * attempt is refused before any hash is computed.
 */
final class SignIn {
  private static final QuietLog FAILURES = new QuietLog(Logger.getLogger(SignIn.class.getName()), 20);

  private final OnLoop loop;
  private final PasswordHasher hasher;
  private final HashingPool hashing;
  private final LoginThrottle throttle;

  SignIn(OnLoop loop, PasswordHasher hasher, HashingPool hashing, LoginThrottle throttle) {
    this.loop = loop;
    this.hasher = hasher;
    this.hashing = hashing;
    this.throttle = throttle;
  }

  /** Precedence: name, tax id, login, password (all before the hash), then a taken login or tax id. */
  CompletableFuture<Customer> signUp(NewCustomer c) {
    String taxId;
    try {
      taxId = Bank.checkNewCustomer(c.name(), c.kind(), c.taxId(), c.login());
      checkPassword(c.password());
    } catch (Rejection.Rejected r) {
      return CompletableFuture.failedFuture(r);
    }
    return hashing.submit(() -> hasher.hash(c.password()))
        .thenCompose(hash -> loop.call(s -> s.bank().createCustomer(c.name(), c.kind(), taxId, c.login(), hash)));
  }

  private static void checkPassword(String password) {
    int length = password.codePointCount(0, password.length());
    if (length < PasswordHasher.MIN_PASSWORD_LENGTH || length > PasswordHasher.MAX_PASSWORD_LENGTH) {
      throw Rejection.of(Reason.WEAK_PASSWORD, "password", "password must have " + PasswordHasher.MIN_PASSWORD_LENGTH
          + " to " + PasswordHasher.MAX_PASSWORD_LENGTH + " characters").toException();
    }
    if (password.indexOf('\0') >= 0) {
      throw Rejection.of(Reason.WEAK_PASSWORD, "password", "password must not contain the NUL character (U+0000)")
          .toException();
    }
  }

  /** Wrong login and wrong password answer alike; too many of either from one place make the caller wait. */
  CompletableFuture<SignedIn> signIn(String login, String password, String address) {
    try {
      // No login holds a forbidden character: refuse it as malformed rather than count it as a guess.
      Text.requireClean(login, Reason.INVALID_LOGIN, "login", "the login");
    } catch (Rejection.Rejected r) {
      return CompletableFuture.failedFuture(r);
    }
    long waitMillis = throttle.waitMillis(login, address);
    if (waitMillis > 0) {
      return CompletableFuture.failedFuture(Rejection.of(Reason.LOGIN_THROTTLED, "", "too many failed sign-ins for "
          + "this login or from this address; try again in " + Math.max(1, (waitMillis + 999) / 1000) + " s")
          .with(Rejection.RETRY_AFTER_MILLIS, Long.toString(waitMillis)).toException());
    }
    return loop.call(s -> s.bank().findCustomer(login))
        .thenCompose(c -> hashing.submit(() -> {
          if (!hasher.verify(password, c == null ? null : c.passwordHash())) {
            throttle.failed(login, address);
            FAILURES.warn("failed sign-in for a login from " + address);
            throw Rejection.of(Reason.UNAUTHENTICATED, "", "wrong login or password").toException();
          }
          throttle.succeeded(login);
          return c;
        }))
        .thenCompose(c -> loop.call(s -> {
          String token = s.sessions().open(c.login());
          return new SignedIn(token, s.sessions().expiryOf(token), c);
        }));
  }
}
