package dev.distribank.node.api;

import dev.distribank.node.app.BankApplication;
import dev.distribank.node.app.Batch;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Outcome;
import dev.distribank.proto.bank.v1.StreamTransactionsRequest;
import dev.distribank.proto.bank.v1.StreamTransactionsResponse;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * One StreamTransactions call: each message is one transaction, submitted as it arrives and answered as soon as it is
 * decided, so a client can keep many in flight on one stream (pipelining) and results may come back in another order;
 * each names its request by its index in the stream.
 *
 * <p>A refused transaction is answered in its place and the stream goes on; only what concerns the whole stream
 * ends it with an error: an unknown caller, a node stopping, a bug. It is bounded: at most {@link #WINDOW}
 * transactions are read and not yet answered, and no more are read while the client does not take the answers
 * (gRPC's flow control says the stream is not ready), so a client cannot make the node buffer without bound.
 */
final class TransactionStream implements StreamObserver<StreamTransactionsRequest> {
  /** At most this many transactions of one stream in flight: read, and not yet answered. */
  static final int WINDOW = 1_024;
  /** Where a stream message holds its transaction: refusals name their fields from there (AIP-193). */
  private static final String FIELD_PREFIX = "transaction.";

  private final BankApplication app;
  private final String token;
  private final ServerCallStreamObserver<StreamTransactionsResponse> out;
  /** The index the next message gets; only gRPC's listener thread, which runs one callback at a time, touches it. */
  private long received;
  // The rest is shared with the threads that complete the answers, under this lock.
  private final Object lock = new Object();
  private int inFlight;
  /** Messages answered whose room in the window is not yet given back, because the client was not reading. */
  private int owed;
  private boolean halfClosed;
  private boolean ended;

  private TransactionStream(BankApplication app, String token,
      ServerCallStreamObserver<StreamTransactionsResponse> out) {
    this.app = app;
    this.token = token;
    this.out = out;
  }

  /** The stream of one call: must be opened in the service method, before it returns, to set up flow control. */
  static StreamObserver<StreamTransactionsRequest> open(BankApplication app, String token,
      StreamObserver<StreamTransactionsResponse> responses) {
    var out = (ServerCallStreamObserver<StreamTransactionsResponse>) responses;
    var stream = new TransactionStream(app, token, out);
    out.disableAutoRequest();
    out.setOnReadyHandler(stream::giveBack);
    out.setOnCancelHandler(stream::cancelled);
    out.request(WINDOW);
    return stream;
  }

  @Override
  public void onNext(StreamTransactionsRequest message) {
    long index = received++;
    synchronized (lock) {
      inFlight++;
    }
    TransferRequest t = message.getTransaction();
    app.submitAll(token, new Batch(List.of(BatchProtos.entry(t))))
        .whenComplete((outcomes, error) -> answer(index, t.getRequestId(), outcomes, error));
  }

  private void answer(long index, String requestId, List<Outcome> outcomes, Throwable error) {
    synchronized (lock) {
      inFlight--;
      if (ended) {
        return;
      }
      Outcome outcome = error == null ? outcomes.get(0) : refusalOfOne(error);
      if (outcome == null) {
        ended = true;
        out.onError(Errors.toStatus(error));
        return;
      }
      out.onNext(StreamTransactionsResponse.newBuilder()
          .setResult(BatchProtos.result(index, requestId, outcome, FIELD_PREFIX)).build());
      owed++;
      giveBackLocked();
      if (halfClosed && inFlight == 0) {
        ended = true;
        out.onCompleted();
      }
    }
  }

  /**
   * A failure that answers only this transaction (the node was too busy for it), as its outcome; null for one that
   * concerns the whole stream (an unknown caller, a stopping node), which ends it.
   */
  private static Outcome refusalOfOne(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof Rejection.Rejected r && r.rejection().reason() != Reason.UNAUTHENTICATED) {
      return new Outcome.Aborted(null, r.rejection());
    }
    return null;
  }

  /** Lets the client send as many more as were answered, once it reads the answers again. */
  private void giveBack() {
    synchronized (lock) {
      giveBackLocked();
    }
  }

  private void giveBackLocked() {
    if (!ended && owed > 0 && out.isReady()) {
      out.request(owed);
      owed = 0;
    }
  }

  private void cancelled() {
    synchronized (lock) {
      ended = true;
    }
  }

  @Override
  public void onError(Throwable t) {
    cancelled(); // the client went away: what is in flight still completes at the bank, unanswered
  }

  @Override
  public void onCompleted() {
    synchronized (lock) {
      halfClosed = true;
      if (!ended && inFlight == 0) {
        ended = true;
        out.onCompleted();
      }
    }
  }
}
