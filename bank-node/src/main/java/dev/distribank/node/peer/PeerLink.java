package dev.distribank.node.peer;

import dev.distribank.node.core.order.Message;
import dev.distribank.node.log.LogFields;
import dev.distribank.node.log.QuietLog;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import com.google.common.collect.Lists;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * This bank's link to one other bank: the channel to it (if we dial it), whichever Exchange stream is current, and
 * what waits to go out on it. The event loop sends, gRPC's threads report the stream ready or ended, so every method
 * that touches the stream or the queue holds this object's lock; none of them blocks.
 */
final class PeerLink {
  private static final Logger log = Logger.getLogger(PeerLinks.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 2_000;
  /** A link that keeps dropping says so at most once in this long, with the count since its last line. */
  private static final long DROP_REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** Drops for banks that do not read, all links together: at most 20 lines a minute. */
  private static final QuietLog DROPS = new QuietLog(log, 20);

  /** Hands a frame read from the stream on to the loop, and reads on as {@code credit} allows. */
  @FunctionalInterface
  interface Reader {
    void read(List<PeerMessage> messages, InboundCredit credit, long frameBytes);
  }

  final String bank;
  private final String self;
  private final ManagedChannel channel;
  private final Consumer<String> onLinkUp;
  private final ScheduledExecutorService timers;
  private final Reader reader;
  private final BooleanSupplier closing;
  private final OutboundQueue queue = new OutboundQueue();
  /** The current stream's sending half, or null while there is none. */
  private Outlet<?> out;
  /** Whether the other bank said, on the current stream, that it reads batch bodies ({@link PeerBatches}). */
  private boolean readsBatches;
  /** Whether the current stream has been ready at least once: only then is the link up. */
  private boolean ready;
  /** Which stream is the current one: a stream that ends only takes the link down if it is still current. */
  private long current;
  private long droppedReported;
  private long lastDropReport = System.nanoTime() - DROP_REPORT_NANOS;

  /**
   * {@code onLinkUp} is told each time a stream first becomes ready; {@code reader} takes what the dialled stream
   * reads; {@code closing} says the node is stopping (no more re-dials).
   */
  PeerLink(String self, String bank, ManagedChannel channel, Consumer<String> onLinkUp,
      ScheduledExecutorService timers, Reader reader, BooleanSupplier closing) {
    this.self = self;
    this.bank = bank;
    this.channel = channel;
    this.onLinkUp = onLinkUp;
    this.timers = timers;
    this.reader = reader;
    this.closing = closing;
  }

  /** What this link's log lines are about, for {@code --log-format json}. */
  private LogFields fields() {
    return LogFields.peer(bank).bank(self);
  }

  /** Whether we dial this bank: the bank with the smaller id dials. */
  boolean dials() {
    return self.compareTo(bank) < 0;
  }

  synchronized boolean up() {
    return out != null && ready;
  }

  synchronized PeerLinks.Outbound outbound() {
    return new PeerLinks.Outbound(queue.messages(), queue.bytes(), queue.peakBytes(), queue.dropped());
  }

  /** A new stream to this bank replaces any older one (which is hung up); it is up once first ready. Its number. */
  synchronized long attach(Outlet<?> outlet) {
    if (out != null) {
      out.complete();
      if (ready) {
        fields().info(log, () -> self + ": link to " + bank + " is replaced by a newer stream");
      }
    }
    out = outlet;
    ready = false;
    readsBatches = false;
    queue.clear(); // the core re-sends everything once the new stream is up
    current++;
    return current;
  }

  /** Stream {@code stream} can take more: the first time, the link is up; every time, send what waits. */
  synchronized void ready(long stream) {
    if (stream != current || out == null) {
      return;
    }
    if (!ready) {
      ready = true;
      fields().info(log, () -> self + ": link to " + bank + " is up");
      onLinkUp.accept(bank);
    }
    drain();
  }

  /** A frame of stream {@code stream} said whether the other bank reads batch bodies; every frame of ours says so. */
  synchronized void heard(long stream, boolean batches) {
    if (stream == current) {
      readsBatches = batches;
    }
  }

  /** Stream {@code stream} ended: the link is down, unless a newer stream has replaced it meanwhile. */
  synchronized void detach(long stream) {
    if (stream != current) {
      return;
    }
    if (up()) {
      fields().info(log, () -> self + ": link to " + bank + " is down");
    }
    out = null;
    ready = false;
    queue.clear();
  }

  /**
   * Queues {@code messages} for the stream, encoded (runs of one kind in one batch body when the other bank reads
   * them), and sends what it will take a frame at a time as they come; dropped while the link is down, or past the
   * queue's bound (without being encoded, unless batched).
   */
  synchronized void send(List<Message> messages) {
    if (!up()) {
      return; // the core re-sends everything once it is up
    }
    boolean dropped = false;
    List<PeerMessage> wire = readsBatches && !queue.full() ? PeerBatches.encode(self, messages)
        : Lists.transform(messages, PeerProtos::toProto);
    for (PeerMessage m : wire) {
      if (queue.full() || queue.bytes() >= OutboundQueue.FRAME_BYTES) {
        drain();
        if (out == null) {
          return; // the stream died; the core re-sends to the next one
        }
      }
      if (queue.full()) {
        queue.drop();
        dropped = true;
      } else {
        queue.offer(m);
      }
    }
    if (dropped) {
      reportDrops();
    }
    drain();
  }

  /** Sends frames while the stream takes them without buffering; the rest waits for its next onReady. */
  private void drain() {
    try {
      while (!queue.isEmpty() && out.isReady()) {
        out.send(queue.nextFrame());
      }
    } catch (RuntimeException broken) {
      // The stream died under us; its observer will see it end. The core re-sends to the next one.
      fields().info(log, () -> self + ": link to " + bank + " is down (" + broken.getMessage() + ")");
      out = null;
      ready = false;
      queue.clear();
    }
  }

  private void reportDrops() {
    long now = System.nanoTime();
    if (now - lastDropReport < DROP_REPORT_NANOS) {
      return;
    }
    long dropped = queue.dropped() - droppedReported;
    droppedReported = queue.dropped();
    lastDropReport = now;
    DROPS.warn(self + ": bank " + bank + " is not reading its stream: " + dropped + " message(s) for it dropped "
        + "since the last report (" + queue.messages() + " messages, " + queue.bytes() / 1024 + " KiB waiting, at "
        + "most " + OutboundQueue.MAX_MESSAGES + " / " + OutboundQueue.MAX_BYTES / 1024 + " KiB); the ordering core "
        + "re-sends them once it reads again", fields());
  }

  /** Opens a stream to this bank; when it ends, another after {@code backoffMillis}, doubled each time. */
  void dial(long backoffMillis) {
    if (closing.getAsBoolean()) {
      return;
    }
    var stream = new Dialled(backoffMillis);
    PeerServiceGrpc.newStub(channel).withWaitForReady().exchange(stream);
    // The first frame names us, so the other side can route its replies onto this stream.
    stream.outlet.send(List.of());
  }

  /** A stream we dialled, from the moment it is created until it ends. */
  private final class Dialled implements ClientResponseObserver<ExchangeRequest, ExchangeResponse> {
    private final long backoffMillis;
    // Set in beforeStart, which gRPC runs on the dialling thread before any callback below.
    private Outlet<ExchangeRequest> outlet;
    private InboundCredit credit;
    /** Its number once it took over the link (at its first onReady); 0 before, so failing then detaches nothing. */
    private volatile long stream;

    Dialled(long backoffMillis) {
      this.backoffMillis = backoffMillis;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ExchangeRequest> requests) {
      requests.disableAutoRequestWithInitial(1);
      credit = new InboundCredit(() -> requests.request(1));
      outlet = new Outlet<>(requests, m -> ExchangeRequest.newBuilder().setFromBank(self).setReadsBatches(true)
          .addAllMessages(m).build());
      // A dial still waiting for its connection must not displace a live stream the peer opened to us: it takes
      // over the link only once it can carry frames.
      requests.setOnReadyHandler(() -> {
        if (stream == 0) {
          stream = attach(outlet);
        }
        ready(stream);
      });
    }

    @Override
    public void onNext(ExchangeResponse response) {
      heard(stream, response.getReadsBatches());
      reader.read(response.getMessagesList(), credit, response.getSerializedSize());
    }

    @Override
    public void onError(Throwable t) {
      redial(stream, backoffMillis);
    }

    @Override
    public void onCompleted() {
      redial(stream, backoffMillis);
    }
  }

  private void redial(long stream, long lastBackoffMillis) {
    detach(stream);
    channel.resetConnectBackoff(); // our own backoff below paces the re-dials
    long next = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, lastBackoffMillis * 2));
    if (!closing.getAsBoolean()) {
      timers.schedule(() -> dial(next), next, TimeUnit.MILLISECONDS);
    }
  }

  /** Hangs up the current stream (so a stopping server is not kept waiting on it). */
  synchronized void close() {
    if (out != null) {
      out.complete();
    }
    detach(current);
  }
}
