package dev.distribank.node.peer;

/**
 * How much of one stream's input may wait for the event loop. The stream reads with manual flow control: the next
 * frame is requested only while fewer than {@link #MAX_WAITING_BYTES} of this stream's frames wait in the loop, so a
 * peer that sends faster than we apply stops being read, and gRPC's flow-control window then holds it back on the
 * wire. Without this, each frame (up to the 4 MiB gRPC accepts) was one task in the loop's queue, whose bound counts
 * tasks, so one peer could park gigabytes there, and crowd out the clients and the other banks.
 */
final class InboundCredit {
  /** A little over what a peer of ours sends in one commit, so the bound does not slow an honest peer. */
  static final long MAX_WAITING_BYTES = 1L << 20;

  private final Runnable requestOne;
  private long waitingBytes;
  private boolean paused;

  /** {@code requestOne} asks gRPC for one more frame (thread-safe, non-blocking, as {@code request(1)} is). */
  InboundCredit(Runnable requestOne) {
    this.requestOne = requestOne;
  }

  /** A frame of {@code bytes} was handed to the loop: ask for the next one now, or once the loop has caught up. */
  synchronized void handedOver(long bytes) {
    waitingBytes += bytes;
    if (waitingBytes < MAX_WAITING_BYTES) {
      requestOne.run();
    } else {
      paused = true;
    }
  }

  /** The loop is done with a frame of {@code bytes} (applied it, or refused it as full). */
  synchronized void done(long bytes) {
    waitingBytes -= bytes;
    if (paused && waitingBytes < MAX_WAITING_BYTES) {
      paused = false;
      requestOne.run();
    }
  }

  synchronized long waitingBytes() {
    return waitingBytes;
  }
}
