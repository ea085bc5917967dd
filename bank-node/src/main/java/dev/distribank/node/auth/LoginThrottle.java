package dev.distribank.node.auth;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Clock;
import java.time.Duration;

/**
 * Slows password guessing (DESIGN §5): after {@value #FREE_FAILURES} failed sign-ins for one login, or
 * {@value #FREE_ADDRESS_FAILURES} from one client address (many people may share one behind a NAT), every further
 * attempt must wait, twice as long after each new failure (1 s, 2 s, 4 s … at most 15 min). An attempt that comes
 * too early is refused at once, before any password hash is computed, and does not count. A success clears the login's count; an
 * address's count fades after an hour without failures. Both tables are bounded, so a flood of made-up logins or
 * addresses cannot grow memory. Thread-safe.
 */
public final class LoginThrottle {
  static final int FREE_FAILURES = 5;
  static final int FREE_ADDRESS_FAILURES = 20;
  static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
  private static final Duration FORGET_AFTER = Duration.ofHours(1);
  private static final int MAX_TRACKED = 100_000;

  private static final class Failures {
    int count;
    long retryAtMillis;
  }

  private final Clock clock;
  private final Cache<String, Failures> byLogin = table();
  private final Cache<String, Failures> byAddress = table();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  private static Cache<String, Failures> table() {
    return CacheBuilder.newBuilder().maximumSize(MAX_TRACKED).expireAfterWrite(FORGET_AFTER).build();
  }

  /** How long the caller must still wait before trying {@code login} from {@code address}; 0 when it may now. */
  public synchronized long waitMillis(String login, String address) {
    long now = clock.millis();
    return Math.max(wait(byLogin.getIfPresent(login), now), wait(byAddress.getIfPresent(address), now));
  }

  private static long wait(Failures f, long now) {
    return f == null ? 0 : Math.max(0, f.retryAtMillis - now);
  }

  /** A wrong password (or unknown login) for {@code login} from {@code address}. */
  public synchronized void failed(String login, String address) {
    long now = clock.millis();
    count(byLogin, login, FREE_FAILURES, now);
    count(byAddress, address, FREE_ADDRESS_FAILURES, now);
  }

  /** The right password: the login's failures are forgiven (the address's are not: it may be guessing others). */
  public synchronized void succeeded(String login) {
    byLogin.invalidate(login);
  }

  private static void count(Cache<String, Failures> table, String key, int free, long now) {
    Failures f = table.getIfPresent(key);
    if (f == null) {
      f = new Failures();
    }
    f.count++;
    if (f.count >= free) {
      int doublings = Math.min(f.count - free, 20);
      long wait = Math.min(LONGEST_WAIT.toMillis(), FIRST_WAIT.toMillis() << doublings);
      f.retryAtMillis = now + wait;
    }
    table.put(key, f); // a write: the hour before it is forgotten starts again
  }
}
