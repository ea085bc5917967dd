package dev.distribank.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The throttle's rules on a hand-moved clock: free failures, then waits that double, capped; per login, per address. */
class LoginThrottleTest {
  /** A clock the test moves. */
  static final class HandClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  final HandClock clock = new HandClock();
  final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void fiveFailures_thenEachWaitDoubles_upToFifteenMinutes() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES - 1; i++) {
      throttle.failed("ana", "10.0.0.1");
      assertEquals(0, throttle.waitMillis("ana", "10.0.0.1"), "failure " + (i + 1) + " is free");
    }
    throttle.failed("ana", "10.0.0.1");
    assertEquals(1_000, throttle.waitMillis("ana", "10.0.0.2"), "the login waits, from any address");
    assertEquals(0, throttle.waitMillis("bia", "10.0.0.2"), "another login does not");
    clock.millis += 1_000;
    throttle.failed("ana", "10.0.0.1");
    assertEquals(2_000, throttle.waitMillis("ana", "10.0.0.1"));
    for (int i = 0; i < 30; i++) {
      throttle.failed("ana", "10.0.0.3");
    }
    assertEquals(Duration.ofMinutes(15).toMillis(), throttle.waitMillis("ana", "10.0.0.4"), "capped");
  }

  @Test
  void success_forgivesTheLogin_butNotTheAddress() {
    for (int i = 0; i < LoginThrottle.FREE_ADDRESS_FAILURES; i++) {
      throttle.failed("user" + i, "10.0.0.9");
    }
    assertEquals(1_000, throttle.waitMillis("someone-new", "10.0.0.9"), "the address sprayed many logins");
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      throttle.failed("ana", "10.0.0.1");
    }
    throttle.succeeded("ana");
    assertEquals(0, throttle.waitMillis("ana", "10.0.0.1"));
    assertEquals(1_000, throttle.waitMillis("ana", "10.0.0.9"));
  }
}
