package dev.distribank.cli.load;

import dev.distribank.cli.StatusDetails;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.StatusRuntimeException;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated client of a load run: sends generated transfers one at a time until the run's budget is spent.
 *
 * <p>Each transfer gets a fresh request id, so that it may be sent again without being applied twice: the bank answers
 * a repeated request id with the first outcome (AIP-155). The channel's retry policy sends it again when it fails with
 * UNAVAILABLE, whether the connection failed or a bank refused for a peer that is down (gRPC cannot tell the two
 * apart); the worker sends it again, as a new call, when its deadline passed ({@link DeadlineRepeat}). Each is done at
 * most {@code --retries} times. What the last attempt ends with is counted: a refusal by its reason, known to have
 * changed nothing; a failure without one (a deadline, a lost connection) as an error, its outcome unknown. A transfer
 * counts as acknowledged only when a receipt came back; its transaction id is then remembered for the ledger check.
 */
final class LoadWorker implements Runnable {
  /**
   * When clients stop starting transactions: at a deadline, and optionally after a number of them. Shared by every
   * client of a run.
   */
  static final class Budget {
    private final long deadlineNanos;
    private final AtomicLong tickets;

    /** @param transactions how many transactions to start in all, or 0 for as many as fit before the deadline */
    Budget(long startNanos, long durationNanos, long transactions) {
      this.deadlineNanos = startNanos + durationNanos;
      this.tickets = new AtomicLong(transactions > 0 ? transactions : Long.MAX_VALUE);
    }

    /** Whether the caller may start one more transaction; a yes uses one ticket. */
    boolean next() {
      return System.nanoTime() - deadlineNanos < 0 && tickets.getAndDecrement() > 0;
    }
  }

  private final LoadMix mix;
  private final SplittableRandom random;
  private final Budget budget;
  private final int retries;
  private final LoadStats stats;
  private final LedgerCheck.Acknowledged acknowledged;
  private final RetryCounter retryCounter;

  LoadWorker(LoadMix mix, SplittableRandom random, Budget budget, int retries, LoadStats stats,
      LedgerCheck.Acknowledged acknowledged) {
    this.mix = mix;
    this.random = random;
    this.budget = budget;
    this.retries = retries;
    this.stats = stats;
    this.acknowledged = acknowledged;
    this.retryCounter = new RetryCounter(stats::retried);
  }

  @Override
  public void run() {
    while (budget.next() && !Thread.currentThread().isInterrupted()) {
      send(mix.next(random));
    }
  }

  private void send(LoadMix.Planned planned) {
    var request = TransferRequest.newBuilder().addAllLegs(planned.legs())
        .setRequestId(UUID.randomUUID().toString()).build();
    LoadSetup.Bank coordinator = planned.coordinator();
    long start = System.nanoTime();
    try {
      TransactionReceipt receipt = DeadlineRepeat.call(retries, () -> repeating(coordinator),
          () -> coordinator.connection().bank(coordinator.sessionToken()).withInterceptors(retryCounter)
              .transfer(request)).getReceipt();
      stats.committed(System.nanoTime() - start);
      acknowledged.add(receipt);
    } catch (StatusRuntimeException e) {
      String reason = StatusDetails.of(e).reason();
      if (reason.isEmpty()) {
        // No bank said why: the connection failed or the deadline passed. Reconnect for the next transfer now.
        coordinator.connection().resetConnectBackoff();
        stats.error(e.getStatus().getCode().name());
      } else {
        stats.refused(reason);
      }
    }
  }

  /** Before a transfer is sent again after its deadline: counted, and a connection that failed is retried at once. */
  private void repeating(LoadSetup.Bank coordinator) {
    stats.retried();
    // Rather than after gRPC's growing reconnect backoff, so that the repeat may find a node that is back.
    coordinator.connection().resetConnectBackoff();
  }
}
