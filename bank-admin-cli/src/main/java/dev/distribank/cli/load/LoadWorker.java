package dev.distribank.cli.load;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import dev.distribank.cli.StatusDetails;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.SubmitTransactionsRequest;
import dev.distribank.proto.bank.v1.SubmitTransactionsResponse;
import dev.distribank.proto.bank.v1.TransactionResult;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.bank.v1.TransferResponse;
import io.grpc.Status;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One simulated client of a load run: one call in flight at a time — a transfer, or a batch of {@code batchSize}
 * transfers (SubmitTransactions) coordinated by one bank. In the closed loop ({@link #closedLoop}) the next call is
 * sent when the last is answered, until the run's budget is spent, and its latency counts from when it was sent; in
 * the open loop ({@link #openLoop}, {@code --rate}) the {@link OpenLoop} hands it each call, and its latency counts
 * from the call's scheduled time. It holds no thread while it waits: calls go out on async stubs, made once per bank,
 * and the answers are handled on the run's few callback threads.
 *
 * <p>Each transfer gets a fresh request id, so that it may be sent again without being applied twice: the bank answers
 * a repeated request id with the first outcome (AIP-155). The channel's retry policy sends a call again when it fails
 * with UNAVAILABLE, whether the connection failed or a bank refused for a peer that is down (gRPC cannot tell the two
 * apart); the worker sends it again, as a new call with the same ids, when its deadline passed. Each is done at most
 * {@code --retries} times. What a transfer ends with is counted: a refusal by its reason, known to have changed
 * nothing; a failure without one (a deadline, a lost connection) as an error, its outcome unknown. A transfer counts
 * as acknowledged only when a receipt came back; its transaction id is then remembered for the ledger check. A
 * batch's transfers are each counted so, and each committed one with its batch's latency.
 */
final class LoadWorker implements OpenLoop.Slot {
  /**
   * When clients stop starting transfers: at a deadline, and optionally after a number of them. Shared by every
   * client of a run.
   */
  static final class Budget {
    private final long deadlineNanos;
    private final AtomicLong tickets;

    /** @param transactions how many transfers to start in all, or 0 for as many as fit before the deadline */
    Budget(long startNanos, long durationNanos, long transactions) {
      this.deadlineNanos = startNanos + durationNanos;
      this.tickets = new AtomicLong(transactions > 0 ? transactions : Long.MAX_VALUE);
    }

    /** Whether the caller may start one more transfer; a yes uses one ticket. */
    boolean next() {
      return take(1) == 1;
    }

    /** How many of {@code wanted} more transfers the caller may start (0: none, the run is over); uses as many. */
    int take(int wanted) {
      if (System.nanoTime() - deadlineNanos >= 0) {
        return 0;
      }
      long before = tickets.getAndAdd(-wanted);
      return (int) Math.max(0, Math.min(wanted, before));
    }
  }

  private final LoadMix mix;
  private final SplittableRandom random;
  /** The closed loop's budget; null in the open loop. */
  private final Budget budget;
  /** Where the open loop's client goes back when its call is answered; null in the closed loop. */
  private final Consumer<LoadWorker> idle;
  private final int retries;
  private final int batchSize;
  private final LoadStats stats;
  private final LedgerCheck.Acknowledged acknowledged;
  private final Executor callbacks;
  private final RetryCounter retryCounter;
  private final Map<String, BankServiceGrpc.BankServiceFutureStub> stubs = new HashMap<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean stopping;

  private LoadWorker(LoadMix mix, SplittableRandom random, Budget budget, Consumer<LoadWorker> idle, int retries,
      int batchSize, LoadStats stats, LedgerCheck.Acknowledged acknowledged, Executor callbacks) {
    this.mix = mix;
    this.random = random;
    this.budget = budget;
    this.idle = idle;
    this.retries = retries;
    this.batchSize = batchSize;
    this.stats = stats;
    this.acknowledged = acknowledged;
    this.callbacks = callbacks;
    this.retryCounter = new RetryCounter(stats::retried);
  }

  /**
   * A client of the closed loop, which sends its calls one after another until the budget is spent; {@link #start()}
   * starts it.
   *
   * @param callbacks where answers are handled and the next call is made; never the caller's own thread
   */
  static LoadWorker closedLoop(LoadMix mix, SplittableRandom random, Budget budget, int retries, int batchSize,
      LoadStats stats, LedgerCheck.Acknowledged acknowledged, Executor callbacks) {
    return new LoadWorker(mix, random, budget, null, retries, batchSize, stats, acknowledged, callbacks);
  }

  /**
   * A client of the open loop, which sends the calls it is handed ({@link #send}) and, each answered, gives itself to
   * {@code idle}: free for the next.
   */
  static LoadWorker openLoop(LoadMix mix, SplittableRandom random, Consumer<LoadWorker> idle, int retries,
      int batchSize, LoadStats stats, LedgerCheck.Acknowledged acknowledged, Executor callbacks) {
    return new LoadWorker(mix, random, null, idle, retries, batchSize, stats, acknowledged, callbacks);
  }

  /**
   * Starts the closed loop; the future completes once the budget is spent (or {@link #stop()}) and the last call is
   * answered, or fails with the bug that stopped this client.
   */
  CompletableFuture<Void> start() {
    callbacks.execute(this::next);
    return done;
  }

  /** In the open loop: fails with the bug that stopped this client, if one does; it never completes otherwise. */
  CompletableFuture<Void> failure() {
    return done;
  }

  /** In the open loop: sends one call, on a callback thread, its latency counted from its scheduled time. */
  @Override
  public void send(int transfers, long scheduledNanos) {
    callbacks.execute(() -> {
      try {
        makeCall(transfers, () -> scheduledNanos);
      } catch (RuntimeException | Error bug) {
        done.completeExceptionally(bug);
      }
    });
  }

  /** Sends nothing more: the run is out of time. A call in flight still ends by its deadline. */
  void stop() {
    stopping = true;
  }

  /** The closed loop's next call, or the end. Runs on a callback thread, one step of this client at a time. */
  private void next() {
    try {
      int count = stopping ? 0 : budget.take(batchSize);
      if (count == 0) {
        done.complete(null);
      } else {
        makeCall(count, System::nanoTime);
      }
    } catch (RuntimeException | Error bug) {
      done.completeExceptionally(bug);
    }
  }

  /**
   * Makes and sends a call of {@code count} transfers.
   *
   * @param startNanos read once the request is built: when its latency starts counting (now, or its scheduled time)
   */
  private void makeCall(int count, LongSupplier startNanos) {
    if (batchSize == 1) {
      transfer(mix.next(random), startNanos);
    } else {
      batch(count, startNanos);
    }
  }

  private void transfer(LoadMix.Planned planned, LongSupplier startNanos) {
    var request = TransferRequest.newBuilder().addAllLegs(planned.legs())
        .setRequestId(UUID.randomUUID().toString()).build();
    long start = startNanos.getAsLong();
    call(planned.coordinator(), stub -> stub.transfer(request), 1, (TransferResponse response) -> {
      stats.committed(System.nanoTime() - start);
      acknowledged.add(response.getReceipt());
    });
  }

  private void batch(int count, LongSupplier startNanos) {
    LoadSetup.Bank coordinator = mix.coordinator(random);
    var request = SubmitTransactionsRequest.newBuilder();
    for (int i = 0; i < count; i++) {
      request.addTransactions(TransferRequest.newBuilder().addAllLegs(mix.next(random, coordinator).legs())
          .setRequestId(UUID.randomUUID().toString()));
    }
    SubmitTransactionsRequest batch = request.build();
    long start = startNanos.getAsLong();
    call(coordinator, stub -> stub.submitTransactions(batch), count, (SubmitTransactionsResponse response) -> {
      long latency = System.nanoTime() - start;
      for (TransactionResult result : response.getResultsList()) {
        if (result.hasReceipt()) {
          stats.committed(latency);
          acknowledged.add(result.getReceipt());
        } else {
          String reason = StatusDetails.of(result.getError()).reason();
          stats.refused(reason.isEmpty() ? Status.fromCodeValue(result.getError().getCode()).getCode().name()
              : reason);
        }
      }
    });
  }

  /**
   * Makes a call for {@code transfers} transfers and hands its answer to {@code answered}; a call that fails counts
   * each of its transfers as the failure says. Sent again, the same request, after a deadline passed.
   */
  private <R> void call(LoadSetup.Bank coordinator,
      Function<BankServiceGrpc.BankServiceFutureStub, ListenableFuture<R>> rpc, int transfers, Consumer<R> answered) {
    send(coordinator, rpc, 0, transfers, answered);
  }

  private <R> void send(LoadSetup.Bank coordinator,
      Function<BankServiceGrpc.BankServiceFutureStub, ListenableFuture<R>> rpc, int repeat, int transfers,
      Consumer<R> answered) {
    var stub = stub(coordinator).withDeadlineAfter(coordinator.connection().timeoutSeconds(), TimeUnit.SECONDS);
    Futures.addCallback(rpc.apply(stub), new FutureCallback<R>() {
      @Override
      public void onSuccess(R response) {
        step(() -> answered.accept(response));
      }

      @Override
      public void onFailure(Throwable failure) {
        if (Status.fromThrowable(failure).getCode() == Status.Code.DEADLINE_EXCEEDED && repeat < retries
            && !stopping) {
          // Its outcome is unknown: ask again, with the same request ids, rather than after gRPC's reconnect backoff.
          stats.retried();
          coordinator.connection().resetConnectBackoff();
          try {
            send(coordinator, rpc, repeat + 1, transfers, answered);
          } catch (RuntimeException | Error bug) {
            done.completeExceptionally(bug);
          }
          return;
        }
        step(() -> failed(coordinator, failure, transfers));
      }
    }, callbacks);
  }

  /**
   * Counts an answer, then makes the next call (closed loop) or is free for one (open loop); a bug in either stops
   * this client with it.
   */
  private void step(Runnable count) {
    try {
      count.run();
    } catch (RuntimeException | Error bug) {
      done.completeExceptionally(bug);
      return;
    }
    if (idle != null) {
      idle.accept(this);
    } else {
      next();
    }
  }

  private void failed(LoadSetup.Bank coordinator, Throwable failure, int transfers) {
    String reason = StatusDetails.of(failure).reason();
    if (reason.isEmpty()) {
      // No bank said why: the connection failed or the deadline passed. Reconnect for the next call now.
      coordinator.connection().resetConnectBackoff();
    }
    for (int i = 0; i < transfers; i++) {
      if (reason.isEmpty()) {
        stats.error(Status.fromThrowable(failure).getCode().name());
      } else {
        stats.refused(reason);
      }
    }
  }

  /** This client's stub for a bank: made at its first call, with the session token and the retry counter. */
  private BankServiceGrpc.BankServiceFutureStub stub(LoadSetup.Bank bank) {
    return stubs.computeIfAbsent(bank.id(), id -> bank.connection().bankAsync(bank.sessionToken())
        .withInterceptors(retryCounter));
  }
}
