package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A timing that cannot work is refused when it is made, with a sentence that says why. */
class OrderConfigTest {

  @ParameterizedTest(name = "[{index}] {5}")
  @CsvSource(delimiter = '|', textBlock = """
      0   | 5  | 50 | 10 | 75  | a tick lasts at least 1 ms
      200 | 0  | 50 | 10 | 75  | every tick count is at least 1
      200 | 5  | 50 | 0  | 75  | every tick count is at least 1
      200 | 50 | 50 | 10 | 75  | before the coordinator gives up on it
      200 | 5  | 75 | 10 | 75  | only once the coordinator would have aborted on its own
      """)
  void impossibleTimings_refused(long tick, int resend, int abort, int answer, int inquire, String why) {
    var e = assertThrows(IllegalArgumentException.class, () -> new OrderConfig(tick, resend, abort, answer, inquire));
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0} ticks")
  @CsvSource({"5, 1000", "50, 10000", "75, 15000"})
  void defaultTiming_inWallClockTerms(int ticks, long millis) {
    assertEquals(millis, OrderConfig.DEFAULT.millis(ticks));
  }
}
