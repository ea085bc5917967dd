package dev.distribank.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A call whose deadline passed is made again, a bounded number of times; any other failure is not. */
class DeadlineRepeatTest {
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger repeats = new AtomicInteger();

  /** Fails with {@code status} the first {@code failures} times, then answers "ok". */
  private String call(int failures, Status status) {
    return DeadlineRepeat.call(3, repeats::incrementAndGet, () -> {
      if (calls.incrementAndGet() <= failures) {
        throw status.asRuntimeException();
      }
      return "ok";
    });
  }

  @Test
  void deadlineTwice_madeAgainAndAnswered() {
    assertEquals("ok", call(2, Status.DEADLINE_EXCEEDED));
    assertEquals(3, calls.get());
    assertEquals(2, repeats.get());
  }

  @Test
  void deadlineEveryTime_givesUpAfterTheRepeats() {
    var e = assertThrows(StatusRuntimeException.class, () -> call(Integer.MAX_VALUE, Status.DEADLINE_EXCEEDED));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertEquals(4, calls.get());
  }

  @Test
  void unavailable_notMadeAgain() {
    // The channel's retry policy has already repeated it as often as it may.
    assertThrows(StatusRuntimeException.class, () -> call(1, Status.UNAVAILABLE));
    assertEquals(1, calls.get());
    assertEquals(0, repeats.get());
  }
}
