package dev.distribank.node.peer;

import dev.distribank.proto.peer.v1.PeerMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One link's messages waiting for its stream to take more (gRPC says it is not ready: the other bank reads slower than
 * we write, or not at all). Bounded in messages and in bytes: once full, what comes is dropped and counted (before it
 * is even encoded), which is safe because the ordering core re-sends whatever stays unanswered. It may pass
 * {@link #MAX_BYTES} by the one message that crossed it. Not thread-safe: its link guards it.
 */
final class OutboundQueue {
  /**
   * At most this many messages wait per link: as many as the event loop lets wait ({@code EventLoop.MAX_QUEUED}),
   * so a loop's worth of answers fits; it bounds the per-object overhead when messages are tiny (an Ack, an Applied).
   */
  static final int MAX_MESSAGES = 20_000;
  /**
   * About this many bytes (serialized) wait per link. Measured: in a flood of cross-bank transfers a loop's messages
   * to one bank average ~0.7 KiB (decisions carry signed votes), a proposal of 64 legs ~1.2 KiB; so this holds
   * thousands, more than one commit sends one bank (at most 4,096 transactions), and a healthy stream that is
   * briefly not ready (its window reopening) loses nothing; while a bank that stops reading costs us this (plus the
   * messages' object overhead), and no more.
   */
  static final long MAX_BYTES = 8L << 20;
  /** A frame (one ExchangeRequest or ExchangeResponse) carries at most this many messages... */
  static final int FRAME_MESSAGES = 1_000;
  /**
   * ...and about this many bytes (a single larger message still goes alone): far below the 4 MiB a receiver accepts
   * by default (one frame used to carry all of a commit's messages for a bank, and a large re-send could pass it),
   * and small enough that frames interleave with what else the stream carries.
   */
  static final int FRAME_BYTES = 64 << 10;

  private final ArrayDeque<PeerMessage> waiting = new ArrayDeque<>();
  private long bytes;
  private long peakBytes;
  private long dropped;

  /** Whether a message offered now would be dropped. */
  boolean full() {
    return waiting.size() >= MAX_MESSAGES || bytes >= MAX_BYTES;
  }

  /** Queues {@code message} if the queue is not {@link #full()}; otherwise drops it (false). */
  boolean offer(PeerMessage message) {
    if (full()) {
      dropped++;
      return false;
    }
    waiting.add(message);
    bytes += message.getSerializedSize();
    peakBytes = Math.max(peakBytes, bytes);
    return true;
  }

  /** Counts a message dropped because the queue was full, without encoding it first. */
  void drop() {
    dropped++;
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Takes the oldest messages, as many as fit in one frame (at least one); empty only if nothing waits. */
  List<PeerMessage> nextFrame() {
    var frame = new ArrayList<PeerMessage>();
    long frameBytes = 0;
    while (!waiting.isEmpty() && frame.size() < FRAME_MESSAGES) {
      int size = waiting.peek().getSerializedSize();
      if (!frame.isEmpty() && frameBytes + size > FRAME_BYTES) {
        break;
      }
      frame.add(waiting.poll());
      frameBytes += size;
      bytes -= size;
    }
    return frame;
  }

  /** Forgets what waits (the stream it was for is gone; the core re-sends to the next one). Not counted as drops. */
  void clear() {
    waiting.clear();
    bytes = 0;
  }

  int messages() {
    return waiting.size();
  }

  long bytes() {
    return bytes;
  }

  /** The most bytes that ever waited at once. */
  long peakBytes() {
    return peakBytes;
  }

  /** Messages dropped at a bound since the node started. */
  long dropped() {
    return dropped;
  }
}
