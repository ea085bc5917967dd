package dev.distribank.node.peer;

import dev.distribank.proto.peer.v1.PeerMessage;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import java.util.List;
import java.util.function.Function;

/**
 * The sending half of one Exchange stream: the requests of a call we dialled, or the replies of one we accepted.
 * gRPC's observers must not be called from two threads at once, and ours are (the event loop sends, gRPC's threads
 * drain on ready, a newer stream hangs up an older one), so every call goes through this object's lock. It closes
 * at most once, so a stream hung up by its replacement can still end on its own without an error.
 */
final class Outlet<T> {
  private final CallStreamObserver<T> stream;
  private final Function<List<PeerMessage>, T> frame;
  private boolean closed;

  /** {@code frame} wraps messages into the stream's frame type, naming the sending bank. */
  Outlet(CallStreamObserver<T> stream, Function<List<PeerMessage>, T> frame) {
    this.stream = stream;
    this.frame = frame;
  }

  /** Whether the stream takes another frame without gRPC buffering it (its flow-control window is open). */
  synchronized boolean isReady() {
    return !closed && stream.isReady();
  }

  /** Sends {@code messages} as one frame (none: a frame that only names us). Throws if the stream died. */
  synchronized void send(List<PeerMessage> messages) {
    if (!closed) {
      stream.onNext(frame.apply(messages));
    }
  }

  /** Ends the stream cleanly from our side. */
  synchronized void complete() {
    if (!closed) {
      closed = true;
      try {
        stream.onCompleted();
      } catch (RuntimeException alreadyGone) {
        // the other side ended it first
      }
    }
  }

  /** Ends the stream with {@code status} (a refusal). */
  synchronized void fail(Status status) {
    if (!closed) {
      closed = true;
      try {
        stream.onError(status.asException());
      } catch (RuntimeException alreadyGone) {
        // the other side ended it first
      }
    }
  }
}
