package dev.distribank.node.peer;

import dev.distribank.node.core.ledger.Text;
import dev.distribank.node.core.order.Envelope;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.log.LogFields;
import dev.distribank.node.log.QuietLog;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.PeerMessage;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * This bank's links to the other banks: one long-lived bidirectional {@code Exchange} stream per pair, dialled by the
 * bank with the smaller id and re-dialled with backoff when it breaks. Sending is best effort and respects flow
 * control: a message goes out only while the stream is ready, waits in a bounded {@link OutboundQueue} otherwise,
 * and is dropped past it or while the link is down; the ordering core re-sends what stays unanswered. Reading is
 * bounded too ({@link InboundCredit}): a bank that sends faster than the loop applies is simply read slower.
 */
public final class PeerLinks implements AutoCloseable {
  private static final Logger log = Logger.getLogger(PeerLinks.class.getName());
  /** What another bank's stream does wrong is logged with its name, at most 20 lines a minute. */
  private static final QuietLog FAULTS = new QuietLog(log, 20);

  /**
   * Where the other banks' messages go (the event loop): {@code offer} returns false if it refused them (full), and
   * otherwise runs {@code done} once it has handled them, so the stream they came on may be read further.
   */
  @FunctionalInterface
  public interface Inbound {
    boolean offer(List<Envelope> envelopes, Runnable done);
  }

  /** One link's outbound side now: what waits for its stream, the most that ever did, what was dropped at the bound. */
  public record Outbound(int queuedMessages, long queuedBytes, long peakQueuedBytes, long dropped) {}

  private final String self;
  private final Map<String, PeerLink> links = new HashMap<>();
  private final Inbound inbound;
  private volatile boolean closed;

  /**
   * {@code channels}: one to each other bank's peer port (owned by the caller, which closes them); {@code onLinkUp}
   * is told the bank whose stream just came up, so the core re-sends it what it has not acknowledged.
   */
  public PeerLinks(String self, Map<String, ManagedChannel> channels, Inbound inbound, Consumer<String> onLinkUp,
      ScheduledExecutorService timers) {
    this.self = self;
    this.inbound = inbound;
    channels.forEach((bank, channel) -> links.put(bank, new PeerLink(self, bank, channel, onLinkUp, timers,
        (messages, credit, bytes) -> deliver(bank, messages, credit, bytes), () -> closed)));
  }

  /** Dials every bank whose id sorts after ours; the others dial us. */
  public void start() {
    links.values().stream().filter(PeerLink::dials).forEach(l -> l.dial(0));
  }

  /** Sends each envelope on its bank's link, batched per bank. Called by the event loop after a durable write. */
  public void send(List<Envelope> envelopes) {
    var byBank = new LinkedHashMap<String, List<Message>>();
    for (Envelope e : envelopes) {
      byBank.computeIfAbsent(e.to(), b -> new ArrayList<>()).add(e.message());
    }
    byBank.forEach((bank, messages) -> {
      PeerLink link = links.get(bank);
      if (link != null) {
        link.send(messages);
      }
    });
  }

  /** Whether the stream to {@code bank} is up right now: open, and ready at least once since it opened. */
  public boolean connected(String bank) {
    PeerLink link = links.get(bank);
    return link != null && link.up();
  }

  /** The outbound side of the link to {@code bank} (a gauge for operators and tests). */
  public Outbound outbound(String bank) {
    PeerLink link = links.get(bank);
    if (link == null) {
      throw new IllegalArgumentException("no link to bank '" + Text.quote(bank) + "'");
    }
    return link.outbound();
  }

  /**
   * The accepting side of a stream bank {@code caller} dialled (its certificate says so): {@code replies} becomes our
   * way to send to it. Every message on it must speak for {@code caller}; one in another bank's name ends the stream,
   * logged. A new stream from the same bank replaces the old one; the old one ending later does not take the new one
   * down; and no other bank's stream can displace it.
   */
  StreamObserver<ExchangeRequest> accept(StreamObserver<ExchangeResponse> replies, String caller) {
    var call = (ServerCallStreamObserver<ExchangeResponse>) replies;
    var outlet = new Outlet<>(call, m -> ExchangeResponse.newBuilder().setFromBank(self).setReadsBatches(true)
        .addAllMessages(m).build());
    var credit = new InboundCredit(() -> call.request(1));
    call.disableAutoRequest();
    var requests = new StreamObserver<ExchangeRequest>() {
      // gRPC runs onReady and these callbacks one at a time, so the fields need no lock.
      private PeerLink link;
      private long stream;
      private boolean ended;

      void ready() {
        if (link != null && !ended) {
          link.ready(stream);
        }
      }

      @Override
      public void onNext(ExchangeRequest request) {
        if (ended) {
          return;
        }
        if (link == null) {
          if (!request.getFromBank().equals(caller)) {
            FAULTS.warn("bank " + caller + " (by its certificate) opened a stream in the name of '"
                + Text.quote(request.getFromBank()) + "'; refused", LogFields.peer(caller).bank(self));
            end(Status.PERMISSION_DENIED.withDescription("your certificate names bank " + caller
                + "; this stream may speak only for it"));
            return;
          }
          link = links.get(caller);
          if (link == null) {
            end(Status.PERMISSION_DENIED.withDescription("bank " + caller + " is not in this consortium"));
            return;
          }
          stream = link.attach(outlet);
          if (call.isReady()) {
            link.ready(stream);
          }
        } else if (!request.getFromBank().equals(link.bank)) {
          FAULTS.warn("the stream of bank " + link.bank + " spoke for another bank; it is closed",
              LogFields.peer(link.bank).bank(self));
          link.detach(stream);
          end(Status.PERMISSION_DENIED.withDescription("this stream speaks for bank " + link.bank));
          return;
        }
        link.heard(stream, request.getReadsBatches());
        deliver(link.bank, request.getMessagesList(), credit, request.getSerializedSize());
      }

      private void end(Status status) {
        ended = true;
        outlet.fail(status);
      }

      @Override
      public void onError(Throwable t) {
        if (link != null) {
          link.detach(stream);
        }
      }

      @Override
      public void onCompleted() {
        if (link != null) {
          link.detach(stream);
        }
        outlet.complete();
      }
    };
    call.setOnReadyHandler(requests::ready);
    call.request(1);
    return requests;
  }

  /**
   * Hands a peer's messages to the loop, and reads the stream further as {@code credit} allows; a batch body is the
   * messages it stands for ({@link PeerBatches#expand}). One that does not convert (a leg no bank could write, an
   * unknown reason, a body of too many) is dropped and logged with the sender; the rest of the frame, and the
   * stream, go on.
   */
  private void deliver(String from, List<PeerMessage> messages, InboundCredit credit, long bytes) {
    var envelopes = new ArrayList<Envelope>(messages.size());
    for (PeerMessage body : messages) {
      try {
        for (PeerMessage m : PeerBatches.expand(from, body)) {
          try {
            envelopes.add(PeerProtos.fromProto(from, self, m));
          } catch (RuntimeException malformed) {
            dropped(from, malformed);
          }
        }
      } catch (RuntimeException malformed) {
        dropped(from, malformed);
      }
    }
    if (envelopes.isEmpty()) {
      credit.handedOver(0);
      return;
    }
    credit.handedOver(bytes);
    if (!inbound.offer(envelopes, () -> credit.done(bytes))) {
      credit.done(bytes); // the loop is full: dropped, and the sender re-sends what stays unanswered
    }
  }

  private void dropped(String from, RuntimeException malformed) {
    FAULTS.warn("dropped a malformed message from bank " + from + ": " + malformed.getMessage(),
        LogFields.peer(from).bank(self));
  }

  @Override
  public void close() {
    closed = true;
    links.values().forEach(PeerLink::close);
  }
}
