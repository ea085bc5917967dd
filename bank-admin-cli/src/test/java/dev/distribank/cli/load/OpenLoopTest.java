package dev.distribank.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The open loop's schedule and its correction for coordinated omission, on a fake clock: the clients are fakes whose
 * answers arrive as events in fake time, so a stall of exactly X ms is replayed exactly, in one thread.
 */
class OpenLoopTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void schedule_rateAndDuration_callsAtFixedTimesBeforeTheDeadline() {
    var hundred = new OpenLoop(100, 1_000, SECOND, 0, 1, 4);
    assertEquals(100, hundred.scheduled());
    assertEquals(1_000, hundred.scheduledNanos(0));
    assertEquals(1_000 + 10 * MS, hundred.scheduledNanos(1));
    assertEquals(1_000 + 990 * MS, hundred.scheduledNanos(99));
    // A period that is not a whole number of nanoseconds keeps its pace: no drift from rounding each one.
    var three = new OpenLoop(3, 0, SECOND, 0, 1, 1);
    assertEquals(3, three.scheduled());
    assertEquals(666_666_666, three.scheduledNanos(2));
    // Due before the deadline, not at it: one call every 2 s fits twice only in more than 2 s.
    assertEquals(1, new OpenLoop(0.5, 0, 2 * SECOND, 0, 1, 1).scheduled());
    assertEquals(2, new OpenLoop(0.5, 0, 2 * SECOND + 1, 0, 1, 1).scheduled());
  }

  @Test
  void schedule_transactions_lastBatchCarriesWhatIsLeft() {
    var batches = new OpenLoop(100, 0, SECOND, 250, 100, 4);
    assertEquals(3, batches.scheduled());
    assertEquals(List.of(100, 100, 50), List.of(batches.transfersOf(0), batches.transfersOf(1),
        batches.transfersOf(2)));
    // --transactions beyond what the deadline allows: the deadline ends the schedule.
    assertEquals(100, new OpenLoop(100, 0, SECOND, 1_000_000, 1, 4).scheduled());
    assertEquals(100, new OpenLoop(100, 0, SECOND, 0, 100, 4).transfersOf(99));
  }

  @Test
  void run_stallOf100ms_laterCallsLatencyIncludesTheStall() throws InterruptedException {
    // 100 calls a second through one client; every answer takes 1 ms but call 10's, which takes 101 ms.
    var banks = new FakeBanks(1, call -> call == 10 ? 101 * MS : MS);
    var loop = new OpenLoop(100, 0, SECOND, 0, 1, 1);

    loop.run(banks, banks);

    OpenLoop.Summary summary = loop.summary();
    assertEquals(100, summary.sent(), summary::toString);
    assertEquals(0, summary.shed(), summary::toString);
    // Calls 11 to 21 were due during the stall or its backlog: each went out as the client came free, 91 ms down to
    // 1 ms behind its time, and counts as late; call 22 is on time again.
    assertEquals(11, summary.late(), summary::toString);
    assertEquals(11, summary.waited(), summary::toString);
    Histogram corrected = banks.fromScheduled;
    Histogram service = banks.fromSent;
    assertEquals(100, corrected.getTotalCount());
    // From each call's scheduled time: the stalled call 101 ms, then 92, 83, 74, 65, 56, ... ms for those behind it.
    assertEquals(101, corrected.getMaxValue() / 1000);
    assertEquals(6, corrected.getCountBetweenValues(50_000, corrected.getMaxValue()));
    assertTrue(corrected.getValueAtPercentile(90) >= 10_000, () -> "p90 " + corrected.getValueAtPercentile(90));
    // Measured from when each call went out, as a closed loop would, the stall shows in one call only: hidden.
    assertEquals(1, service.getCountBetweenValues(50_000, service.getMaxValue()));
    assertEquals(1_000, service.getValueAtPercentile(90), 1);
    // Each call carried the time it was due, never the time it went out.
    assertEquals(loop.scheduledNanos(15), banks.sent.get(15).scheduledNanos());
    assertEquals(201 * MS + 4 * MS, banks.sent.get(15).sentNanos());
  }

  @Test
  void run_noClientFreeBeforeTheEnd_restShed_answersStillAwaited() throws InterruptedException {
    // 10 calls a second for a second through two clients whose first calls take 5 s.
    var banks = new FakeBanks(2, call -> 5 * SECOND);
    var loop = new OpenLoop(10, 0, SECOND, 0, 1, 2);

    loop.run(banks, banks);

    OpenLoop.Summary summary = loop.summary();
    assertEquals(10, summary.scheduled(), summary::toString);
    assertEquals(2, summary.sent(), summary::toString);
    assertEquals(8, summary.shed(), summary::toString);
    assertEquals(0, summary.late(), summary::toString);
    // Call 2 found both clients busy and waited for one until the end; the calls after it were never tried.
    assertEquals(1, summary.waited(), summary::toString);
    // The run waited for both calls in flight before it returned.
    assertEquals(2, banks.fromScheduled.getTotalCount());
    assertEquals(5 * SECOND + 100 * MS, banks.now);
  }

  @Test
  void start_stop_pacerEndsAndCountsTheRestShed() throws Exception {
    // The real clock: one call now, the next in an hour; stop() must not wait for it.
    var loop = new OpenLoop(1.0 / 3600, System.nanoTime(), Duration.ofHours(2).toNanos(), 0, 1, 1);
    OpenLoop.Slot answersAtOnce = (transfers, scheduledNanos) -> { };
    var finished = loop.start(OpenLoop.Clock.SYSTEM, deadline -> answersAtOnce);
    for (long waited = 0; loop.summary().sent() == 0 && waited < 5_000; waited += 10) {
      Thread.sleep(10);
    }

    loop.stop();

    finished.get(5, TimeUnit.SECONDS);
    assertEquals(1, loop.summary().sent());
    assertEquals(1, loop.summary().shed());
  }

  /** One call as the fake banks saw it. */
  private record Sent(long scheduledNanos, long sentNanos) {}

  /**
   * The pacer's clock and its clients, in one thread: a call's answer is an event at its send time plus its service
   * time; sleeping or waiting for a client moves the clock to the next event, and an answer frees its client.
   */
  private static final class FakeBanks implements OpenLoop.Clock, OpenLoop.Slots {
    private record Answer(long atNanos, long scheduledNanos, long sentNanos) {}

    final Histogram fromScheduled = new Histogram(3);
    final Histogram fromSent = new Histogram(3);
    final List<Sent> sent = new ArrayList<>();
    long now;
    private final LongUnaryOperator serviceNanos;
    /** The clients are interchangeable, so one fake stands for each: the queue holds it once per free client. */
    private final OpenLoop.Slot client = this::send;
    private final Deque<OpenLoop.Slot> free = new ArrayDeque<>();
    private final PriorityQueue<Answer> answers = new PriorityQueue<>(Comparator.comparingLong(Answer::atNanos));

    /** @param serviceNanos how long the answer to call N (from 0) takes */
    FakeBanks(int clients, LongUnaryOperator serviceNanos) {
      this.serviceNanos = serviceNanos;
      for (int i = 0; i < clients; i++) {
        free.add(client);
      }
    }

    private void send(int transfers, long scheduledNanos) {
      long call = sent.size();
      sent.add(new Sent(scheduledNanos, now));
      answers.add(new Answer(now + serviceNanos.applyAsLong(call), scheduledNanos, now));
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepUntil(long nanos) {
      while (!answers.isEmpty() && answers.peek().atNanos() <= nanos) {
        deliver(answers.poll());
      }
      now = Math.max(now, nanos);
    }

    @Override
    public OpenLoop.Slot take(long deadlineNanos) {
      while (free.isEmpty()) {
        Answer next = answers.peek();
        if (next == null) {
          throw new AssertionError("waiting for a client with no call in flight: it would wait forever");
        }
        if (deadlineNanos != OpenLoop.FOREVER && next.atNanos() > deadlineNanos) {
          now = Math.max(now, deadlineNanos);
          return null;
        }
        deliver(answers.poll());
      }
      return free.poll();
    }

    private void deliver(Answer answer) {
      now = Math.max(now, answer.atNanos());
      fromScheduled.recordValue((answer.atNanos() - answer.scheduledNanos()) / 1000);
      fromSent.recordValue((answer.atNanos() - answer.sentNanos()) / 1000);
      free.add(client);
    }
  }
}
