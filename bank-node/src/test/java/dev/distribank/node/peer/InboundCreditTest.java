package dev.distribank.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reading a stream only while little of it waits for the loop. */
class InboundCreditTest {
  final AtomicInteger requested = new AtomicInteger();
  final InboundCredit credit = new InboundCredit(requested::incrementAndGet);

  @Test
  void belowTheBound_eachFrameHandedOver_asksForTheNext() {
    credit.handedOver(1_000);
    credit.handedOver(1_000);
    assertEquals(2, requested.get());
    credit.done(1_000);
    assertEquals(2, requested.get(), "nothing was waiting for room");
    assertEquals(1_000, credit.waitingBytes());
  }

  @Test
  void atTheBound_readingPauses_untilTheLoopCatchesUp() {
    long half = InboundCredit.MAX_WAITING_BYTES / 2;
    credit.handedOver(half);
    credit.handedOver(half);
    assertEquals(1, requested.get(), "the second frame filled the credit: no more asked");
    credit.done(half);
    assertEquals(2, requested.get(), "room again: one more frame asked for");
    credit.done(half);
    assertEquals(2, requested.get(), "asked once per pause, not once per frame done");
  }

  @Test
  void aFrameWithNothingForTheLoop_asksForTheNextAtOnce() {
    credit.handedOver(0);
    assertEquals(1, requested.get());
    assertEquals(0, credit.waitingBytes());
  }

  @Test
  void aFrameLargerThanTheBound_isStillRead_thenReadingPauses() {
    credit.handedOver(InboundCredit.MAX_WAITING_BYTES * 4);
    assertEquals(0, requested.get());
    credit.done(InboundCredit.MAX_WAITING_BYTES * 4);
    assertEquals(1, requested.get());
  }
}
