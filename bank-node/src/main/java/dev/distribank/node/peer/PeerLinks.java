package dev.distribank.node.peer;

import dev.distribank.node.log.QuietLog;
import dev.distribank.node.order.Envelope;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * This bank's links to the other banks: one long-lived bidirectional {@code Exchange} stream per pair, dialled by the
 * bank with the smaller id and re-dialled with backoff when it breaks. Sending is best effort: a message for a bank
 * whose link is down is dropped, and the ordering core re-sends what stays unanswered.
 */
public final class PeerLinks implements AutoCloseable {
  private static final Logger log = Logger.getLogger(PeerLinks.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 2_000;
  /** What another bank's stream does wrong is logged with its name, at most 20 lines a minute. */
  private static final QuietLog FAULTS = new QuietLog(log, 20);

  private final String self;
  private final Map<String, Link> links = new HashMap<>();
  private final Consumer<List<Envelope>> inbound;
  /** Told the bank whose stream just came up, so the core re-sends it what it has not acknowledged. */
  private final Consumer<String> onLinkUp;
  private final ScheduledExecutorService timers;
  private volatile boolean closed;

  /** {@code channels}: one to each other bank's peer port (owned by the caller, which closes them). */
  public PeerLinks(String self, Map<String, ManagedChannel> channels, Consumer<List<Envelope>> inbound,
      Consumer<String> onLinkUp, ScheduledExecutorService timers) {
    this.self = self;
    this.onLinkUp = onLinkUp;
    this.inbound = inbound;
    this.timers = timers;
    channels.forEach((bank, channel) -> links.put(bank, new Link(bank, channel)));
  }

  /** Dials every bank whose id sorts after ours; the others dial us. */
  public void start() {
    links.values().stream().filter(Link::dials).forEach(l -> l.dial(0));
  }

  /** Sends each envelope on its bank's link, batched per bank. Called by the event loop after a durable write. */
  public void send(List<Envelope> envelopes) {
    var byBank = new LinkedHashMap<String, List<PeerMessage>>();
    for (Envelope e : envelopes) {
      byBank.computeIfAbsent(e.to(), b -> new ArrayList<>()).add(PeerMessages.toProto(e.message()));
    }
    byBank.forEach((bank, messages) -> {
      Link link = links.get(bank);
      if (link != null) {
        link.send(messages);
      }
    });
  }

  /** Whether the stream to {@code bank} is up right now. */
  public boolean connected(String bank) {
    Link link = links.get(bank);
    return link != null && link.up();
  }

  /**
   * The accepting side of a stream bank {@code caller} dialled (its certificate says so): {@code replies} becomes our
   * way to send to it. Every message on it must speak for {@code caller}; one in another bank's name ends the stream,
   * logged. A new stream from the same bank replaces the old one; the old one ending later does not take the new one
   * down; and no other bank's stream can displace it.
   */
  StreamObserver<ExchangeRequest> accept(StreamObserver<ExchangeResponse> replies, String caller) {
    return new StreamObserver<>() {
      private Link link;
      private long stream;
      private boolean ended;

      @Override
      public void onNext(ExchangeRequest request) {
        if (ended) {
          return;
        }
        if (link == null) {
          if (!request.getFromBank().equals(caller)) {
            FAULTS.warn("bank " + caller + " (by its certificate) opened a stream in the name of '"
                + dev.distribank.node.ledger.Text.quote(request.getFromBank()) + "'; refused");
            end(io.grpc.Status.PERMISSION_DENIED.withDescription("your certificate names bank " + caller
                + "; this stream may speak only for it"));
            return;
          }
          link = links.get(caller);
          if (link == null) {
            end(io.grpc.Status.PERMISSION_DENIED.withDescription("bank " + caller + " is not in this consortium"));
            return;
          }
          stream = link.attach(messages -> replies.onNext(ExchangeResponse.newBuilder().setFromBank(self)
              .addAllMessages(messages).build()), replies::onCompleted);
        } else if (!request.getFromBank().equals(link.bank)) {
          FAULTS.warn("the stream of bank " + link.bank + " spoke for another bank; it is closed");
          link.detach(stream);
          end(io.grpc.Status.PERMISSION_DENIED.withDescription("this stream speaks for bank " + link.bank));
          return;
        }
        deliver(link.bank, request.getMessagesList());
      }

      private void end(io.grpc.Status status) {
        ended = true;
        replies.onError(status.asException());
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
        if (!ended) {
          replies.onCompleted();
        }
      }
    };
  }

  /**
   * Hands a peer's messages to the loop. One that does not convert (a leg no bank could write, an unknown reason) is
   * dropped and logged with the sender; the rest of the batch, and the stream, go on.
   */
  private void deliver(String from, List<PeerMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    var envelopes = new ArrayList<Envelope>(messages.size());
    for (PeerMessage m : messages) {
      try {
        envelopes.add(PeerMessages.fromProto(from, self, m));
      } catch (RuntimeException malformed) {
        FAULTS.warn("dropped a malformed message from bank " + from + ": " + malformed.getMessage());
      }
    }
    if (!envelopes.isEmpty()) {
      inbound.accept(envelopes);
    }
  }

  @Override
  public void close() {
    closed = true;
    links.values().forEach(Link::close);
  }

  /** One peer: its channel (if we dial it) and whatever stream is up to it. */
  private final class Link {
    private final String bank;
    private final ManagedChannel channel;
    private Consumer<List<PeerMessage>> out;
    /** Ends the current stream from our side (so a stopping server is not kept waiting on it). */
    private Runnable hangUp = () -> { };
    /** Which stream is the current one: a stream that ends only takes the link down if it is still current. */
    private long current;

    Link(String bank, ManagedChannel channel) {
      this.bank = bank;
      this.channel = channel;
    }

    boolean dials() {
      return self.compareTo(bank) < 0;
    }

    synchronized boolean up() {
      return out != null;
    }

    /** A new stream to this bank is up and replaces any older one (which is hung up). Returns its number. */
    synchronized long attach(Consumer<List<PeerMessage>> sender, Runnable closer) {
      if (out != null) {
        try {
          hangUp.run();
        } catch (RuntimeException alreadyGone) {
          // the older stream was already closed
        }
      }
      out = sender;
      hangUp = closer;
      current++;
      log.info(() -> self + ": link to " + bank + " is up");
      onLinkUp.accept(bank);
      return current;
    }

    /** Stream {@code stream} ended: the link is down, unless a newer stream has replaced it meanwhile. */
    synchronized void detach(long stream) {
      if (stream != current) {
        return;
      }
      if (out != null) {
        log.info(() -> self + ": link to " + bank + " is down");
      }
      out = null;
    }

    synchronized void detach() {
      detach(current);
    }

    synchronized void send(List<PeerMessage> messages) {
      if (out != null) {
        try {
          out.accept(messages);
        } catch (RuntimeException broken) {
          out = null; // the stream died under us; the core will re-send
        }
      }
    }

    void dial(long backoffMillis) {
      if (closed) {
        return;
      }
      var stub = PeerServiceGrpc.newStub(channel).withWaitForReady();
      StreamObserver<ExchangeRequest> requests = stub.exchange(new StreamObserver<>() {
        @Override
        public void onNext(ExchangeResponse response) {
          deliver(bank, response.getMessagesList());
        }

        @Override
        public void onError(Throwable t) {
          redial(backoffMillis);
        }

        @Override
        public void onCompleted() {
          redial(backoffMillis);
        }
      });
      // The first message names us, so the other side can route its replies onto this stream.
      requests.onNext(ExchangeRequest.newBuilder().setFromBank(self).build());
      attach(messages -> requests.onNext(ExchangeRequest.newBuilder().setFromBank(self)
          .addAllMessages(messages).build()), requests::onCompleted);
    }

    private void redial(long lastBackoffMillis) {
      detach();
      channel.resetConnectBackoff(); // our own backoff below paces the re-dials
      long next = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, lastBackoffMillis * 2));
      if (!closed) {
        timers.schedule(() -> dial(next), next, TimeUnit.MILLISECONDS);
      }
    }

    void close() {
      synchronized (this) {
        try {
          hangUp.run();
        } catch (RuntimeException alreadyGone) {
          // the stream was already closed
        }
      }
      detach();
    }
  }
}
