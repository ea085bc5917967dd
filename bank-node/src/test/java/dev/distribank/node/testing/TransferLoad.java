package dev.distribank.node.testing;

import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cross-bank transfers both ways between one account at each of two banks, from several threads, each remembered
 * with its request id and its first answer; afterwards each is asked again with the same request id, which tells its
 * outcome (a replay) and proves that none the banks acknowledged was lost.
 */
public final class TransferLoad {
  /** At most this many transfers are sent, so a run stays bounded whatever the banks answer. */
  private static final int MAX_SENT = 20_000;

  /** One bank's side: its clients, a signed-in customer and the account transfers leave from. */
  public record Side(String bank, Clients clients, String token, String account) {}

  /** What the first answer said: committed (a receipt), refused (nothing applied), or not known (no answer). */
  public enum FirstAnswer { COMMITTED, REFUSED, UNKNOWN }

  /** One transfer sent: where, from and to, how much, and its first answer. */
  public record Sent(Side at, String requestId, String to, long cents, FirstAnswer answer, String transactionId,
      String reason) {}

  private final Side a;
  private final Side b;
  private final AtomicBoolean running = new AtomicBoolean();
  private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  public TransferLoad(Side a, Side b) {
    this.a = a;
    this.b = b;
  }

  /** Starts {@code perSide} threads at each bank, each sending one transfer after another until {@link #stop}. */
  public void start(int perSide) {
    running.set(true);
    for (int i = 0; i < perSide; i++) {
      threads.add(Thread.ofPlatform().name("load-" + a.bank() + "-" + i).start(() -> run(a, b)));
      threads.add(Thread.ofPlatform().name("load-" + b.bank() + "-" + i).start(() -> run(b, a)));
    }
  }

  private void run(Side from, Side to) {
    while (running.get() && sent.size() < MAX_SENT) {
      long cents = 1 + ThreadLocalRandom.current().nextInt(100);
      String id = UUID.randomUUID().toString();
      try {
        TransactionReceipt r = send(from, id, to.account(), cents, 10);
        sent.add(new Sent(from, id, to.account(), cents, FirstAnswer.COMMITTED, r.getTransactionId(), ""));
      } catch (StatusRuntimeException e) {
        boolean unknown = notAnswered(e);
        sent.add(new Sent(from, id, to.account(), cents, unknown ? FirstAnswer.UNKNOWN : FirstAnswer.REFUSED, "",
            e.getStatus().getCode() + " " + Clients.reason(e)));
        pause(unknown ? 50 : 0);
      }
    }
  }

  private static TransactionReceipt send(Side from, String id, String to, long cents, long deadlineSeconds) {
    return from.clients().as(from.token()).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
        .transfer(TransferRequest.newBuilder().setRequestId(id).addLegs(Leg.newBuilder()
            .setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from.account()).setToAccount(to)
            .setAmountCents(cents)).build()).getReceipt();
  }

  /** Stops sending and waits for the calls in flight to be answered (or to pass their deadline). */
  public void stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public long count(FirstAnswer answer) {
    return sent.stream().filter(s -> s.answer() == answer).count();
  }

  /**
   * Asks every transfer again with its request id until it is answered for good, and returns what the committed ones
   * moved, by account. A transfer acknowledged the first time must replay as that very transaction: if one does not,
   * an acknowledged transfer was lost.
   */
  public Map<String, Long> settle(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    var moved = new HashMap<String, Long>();
    for (Sent s : sent) {
      TransactionReceipt receipt = null;
      while (true) {
        try {
          receipt = send(s.at(), s.requestId(), s.to(), s.cents(), 10);
          break;
        } catch (StatusRuntimeException e) {
          if (!notAnswered(e)) {
            break; // refused for good (a replayed abort too): nothing of it applied
          }
          if (System.nanoTime() > deadline) {
            throw new AssertionError("transfer " + s.requestId() + " still unanswered after " + seconds + " s: " + e);
          }
          pause(200);
        }
      }
      if (s.answer() == FirstAnswer.COMMITTED) {
        if (receipt == null || !receipt.getReplayed() || !receipt.getTransactionId().equals(s.transactionId())) {
          throw new AssertionError("acknowledged transfer " + s.requestId() + " (" + s.transactionId() + ") came "
              + "back as " + receipt);
        }
      }
      if (receipt != null) {
        moved.merge(s.at().account(), -s.cents(), Long::sum);
        moved.merge(s.to(), s.cents(), Long::sum);
      }
    }
    return moved;
  }

  /**
   * Whether {@code e} leaves the outcome open: no answer (a transport failure, a deadline) or a node that stopped
   * before answering. A refusal with any other reason, BANK_UNAVAILABLE and TIMED_OUT included, applied nothing.
   */
  private static boolean notAnswered(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String reason = Clients.reason(e);
    return code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.UNAVAILABLE && List.of("", "DISK_FULL", "NODE_STOPPING").contains(reason);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
