package dev.distribank.cli.load;

import dev.distribank.cli.StatusDetails;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated client of a load run: sends generated transfers one at a time until the run's budget is spent.
 *
 * <p>Each transfer gets a fresh request id. When an attempt ends with DEADLINE_EXCEEDED, or UNAVAILABLE without a
 * reason from a bank (the connection failed), the outcome is unknown, so the worker repeats the <em>same</em> request,
 * with the same id, a few times: the bank then answers with the first outcome instead of applying it twice (AIP-155).
 * An UNAVAILABLE that carries a reason (BANK_UNAVAILABLE, TIMED_OUT) is the bank's decided refusal, known to have
 * changed nothing, so it is counted as refused and not repeated: repeating it would only measure the back-off. A
 * transfer counts as acknowledged only when a receipt came back; its transaction id is then remembered for the ledger
 * check.
 */
final class LoadWorker implements Runnable {
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 1_000;

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

  LoadWorker(LoadMix mix, SplittableRandom random, Budget budget, int retries, LoadStats stats,
      LedgerCheck.Acknowledged acknowledged) {
    this.mix = mix;
    this.random = random;
    this.budget = budget;
    this.retries = retries;
    this.stats = stats;
    this.acknowledged = acknowledged;
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
    for (int attempt = 0; ; attempt++) {
      try {
        TransactionReceipt receipt = coordinator.connection().bank(coordinator.sessionToken()).transfer(request)
            .getReceipt();
        stats.committed(System.nanoTime() - start);
        acknowledged.add(receipt);
        return;
      } catch (StatusRuntimeException e) {
        if (retryable(e) && attempt < retries && backOff(attempt)) {
          // Reconnect now if the connection failed, rather than after gRPC's growing reconnect backoff.
          coordinator.connection().resetConnectBackoff();
          stats.retried();
          continue;
        }
        String reason = StatusDetails.of(e).reason();
        if (reason.isEmpty()) {
          stats.error(e.getStatus().getCode().name());
        } else {
          stats.refused(reason);
        }
        return;
      }
    }
  }

  /**
   * Whether the outcome of a failed call is unknown, so the same request is worth sending again: DEADLINE_EXCEEDED,
   * or UNAVAILABLE with no reason from a bank (a refusal with a reason is a decided outcome).
   */
  static boolean retryable(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNAVAILABLE && StatusDetails.of(e).reason().isEmpty();
  }

  /**
   * Sleeps before retry number {@code attempt + 1}: 50 ms, doubling, at most a second.
   *
   * @return false if interrupted (the run is being stopped), with the interrupt kept
   */
  static boolean backOff(int attempt) {
    try {
      Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(attempt, 10)));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
