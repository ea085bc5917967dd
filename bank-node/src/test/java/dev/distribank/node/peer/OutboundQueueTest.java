package dev.distribank.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.Vote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A link's outbound queue: bounded in messages and bytes, drops counted, frames of bounded size in order. */
class OutboundQueueTest {
  /** An Ack whose transaction id pads it to about {@code bytes} serialized. */
  static PeerMessage message(int seq, int bytes) {
    String id = "beta-" + seq + "-";
    return PeerMessage.newBuilder().setAck(Vote.newBuilder().setTransactionId(id + "x".repeat(Math.max(0,
        bytes - id.length() - 6))).setFromBank("alpha")).build();
  }

  @Test
  void offer_pastTheByteBound_dropsAndCountsTheRest() {
    var queue = new OutboundQueue();
    int size = message(0, 1_000).getSerializedSize();
    int fit = (int) ((OutboundQueue.MAX_BYTES + size - 1) / size); // the last one crosses the bound
    for (int i = 0; i < fit; i++) {
      assertFalse(queue.full());
      assertTrue(queue.offer(message(i, 1_000)), "message " + i + " fits");
    }
    assertTrue(queue.full());
    assertFalse(queue.offer(message(fit, 1_000)));
    queue.drop(); // one dropped without being encoded

    assertEquals(fit, queue.messages());
    assertEquals((long) fit * size, queue.bytes());
    assertTrue(queue.bytes() < OutboundQueue.MAX_BYTES + size, "passed by at most the one that crossed it");
    assertEquals(2, queue.dropped());
  }

  @Test
  void offer_pastTheMessageBound_dropsEvenSmallMessages() {
    var queue = new OutboundQueue();
    for (int i = 0; i < OutboundQueue.MAX_MESSAGES; i++) {
      assertTrue(queue.offer(message(i, 20)));
    }
    assertTrue(queue.full());
    assertFalse(queue.offer(message(-1, 20)));
    assertEquals(OutboundQueue.MAX_MESSAGES, queue.messages());
    assertEquals(1, queue.dropped());
  }

  @Test
  void nextFrame_takesTheOldestFirst_withinTheFrameBounds_untilEmpty() {
    var queue = new OutboundQueue();
    var sent = new ArrayList<PeerMessage>();
    for (int i = 0; i < 3_000; i++) {
      PeerMessage m = message(i, i % 7 == 0 ? 5_000 : 50);
      sent.add(m);
      queue.offer(m);
    }
    var received = new ArrayList<PeerMessage>();
    while (!queue.isEmpty()) {
      List<PeerMessage> frame = queue.nextFrame();
      int bytes = frame.stream().mapToInt(PeerMessage::getSerializedSize).sum();
      assertTrue(frame.size() <= OutboundQueue.FRAME_MESSAGES, frame.size() + " messages");
      assertTrue(bytes <= OutboundQueue.FRAME_BYTES, bytes + " bytes");
      received.addAll(frame);
    }
    assertEquals(sent, received, "every message once, in order");
    assertEquals(0, queue.bytes());
  }

  @Test
  void nextFrame_aMessageLargerThanAFrame_goesAlone() {
    var queue = new OutboundQueue();
    queue.offer(message(1, OutboundQueue.FRAME_BYTES + 100));
    queue.offer(message(2, 50));
    assertEquals(1, queue.nextFrame().size());
    assertEquals(1, queue.nextFrame().size());
    assertTrue(queue.isEmpty());
  }

  @Test
  void clear_forgetsWhatWaits_keepsTheDropCountAndPeak() {
    var queue = new OutboundQueue();
    queue.offer(message(1, 100));
    long peak = queue.bytes();
    queue.clear();
    assertTrue(queue.isEmpty());
    assertEquals(0, queue.bytes());
    assertEquals(peak, queue.peakBytes());
    assertEquals(0, queue.dropped());
  }
}
