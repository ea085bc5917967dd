package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Two banks, alpha and beta, each an ordering core over its own ledger with funded accounts, and the one way the
 * benchmarks drive them: a batch of cross-bank transfers (alpha's customers pay beta's) through both cores in memory,
 * one step per bank at a time, as bank-node's simulation drives a cluster. No I/O, no threads, a cheap signer.
 *
 * <p>It is deterministic: two instances given the same batches end in the same state, so one can make the messages
 * another's bank receives inside a measurement.
 */
public final class TwoBanks {
  public static final Set<String> MEMBERS = Set.of("alpha", "beta");
  /** Customers, each with one account, per bank: a batch's transfers spread over them as the load generator's do. */
  public static final int ACCOUNTS = 100;
  /**
   * How many transfers banks take before they are measured ({@link #fill}): past every bounded memory of recent work
   * in the core (100,000 finished transactions and request ids; the audit trail's 200,000 applications), so a score
   * is that of a bank that has been running a while. On new banks the scores drift as those fill up mid-run.
   */
  public static final String HISTORY = "210000";

  /** A client's transfer as the coordinator takes it. */
  public record Submission(Principal principal, List<Leg> legs, String requestId) {}

  /**
   * One batch's run: each bank's {@link Ready} of every step, in order. Alpha: proposals out (and its own vote);
   * decisions out (and its side applied); clients answered. Beta: votes out; decisions applied and confirmed.
   */
  public record Exchange(List<Ready> alphaSteps, List<Ready> betaSteps) {}

  public final Bank alphaBank = new Bank("alpha");
  public final Bank betaBank = new Bank("beta");
  public final OrderCore alpha;
  public final OrderCore beta;
  private final List<Principal> payers = new ArrayList<>();
  private final List<AccountId> paying = new ArrayList<>();
  private final List<AccountId> paid = new ArrayList<>();
  private long transfers;
  private long tags;

  public TwoBanks() {
    alpha = new OrderCore("alpha", MEMBERS, alphaBank, History.NONE, new KeyedHashSigner("alpha"));
    beta = new OrderCore("beta", MEMBERS, betaBank, History.NONE, new KeyedHashSigner("beta"));
    for (int i = 0; i < ACCOUNTS; i++) {
      alphaBank.createCustomer("Payer " + i, CustomerKind.INDIVIDUAL, cpf(1 + i), "payer" + i, "unused");
      paying.add(alphaBank.openAccount("payer" + i, AccountKind.INDIVIDUAL).id());
      payers.add(alphaBank.principal("payer" + i));
      betaBank.createCustomer("Payee " + i, CustomerKind.INDIVIDUAL, cpf(100_001 + i), "payee" + i, "unused");
      paid.add(betaBank.openAccount("payee" + i, AccountKind.INDIVIDUAL).id());
      // Enough for 10^12 transfers of at most 1,000 cents each: no run overdraws.
      alpha.submit(++tags, payers.get(i), List.of(Leg.deposit(paying.get(i), Leg.MAX_AMOUNT_CENTS)), "");
    }
    alpha.ready(); // the set-up's writes; nothing is stored
    beta.ready();
  }

  /** The next {@code n} transfers: 1 to 1,000 cents each, from a payer to a payee, each under its own request id. */
  public List<Submission> nextTransfers(int n) {
    var batch = new ArrayList<Submission>(n);
    for (int i = 0; i < n; i++, transfers++) {
      int payer = (int) (transfers % ACCOUNTS);
      int payee = (int) ((transfers * 7 + 3) % ACCOUNTS);
      batch.add(new Submission(payers.get(payer), List.of(Leg.transfer(paying.get(payer),
          new Destination.ToAccount(paid.get(payee)), 1 + transfers % 1_000)), "bench-" + transfers));
    }
    return batch;
  }

  /**
   * Runs {@code transfers} transfers through both banks, 1,000 at a time, handing alpha's proposals and decisions for
   * beta also to {@code twinOfBeta} (when not null), beta's twin, so that it keeps the same state as beta.
   */
  public void fill(int transfers, OrderCore twinOfBeta) {
    for (int done = 0; done < transfers; done += 1_000) {
      Exchange exchange = run(nextTransfers(Math.min(1_000, transfers - done)));
      if (twinOfBeta != null) {
        deliver(exchange.alphaSteps().get(0), twinOfBeta);
        deliver(exchange.alphaSteps().get(1), twinOfBeta);
      }
    }
  }

  /** Runs {@code batch} through both banks to the end: every transfer committed, applied and answered. */
  public Exchange run(List<Submission> batch) {
    return run(batch, false);
  }

  /**
   * As {@link #run(List)}, each step's protocol changes copied as they were when the step was taken: a node writes
   * a step's coordinations at once, while the objects go on changing with the later steps.
   */
  public Exchange runForWrites(List<Submission> batch) {
    return run(batch, true);
  }

  private Exchange run(List<Submission> batch, boolean frozen) {
    for (Submission s : batch) {
      alpha.submit(++tags, s.principal(), s.legs(), s.requestId());
    }
    Ready proposed = take(alpha, frozen);
    Ready voted = deliver(proposed, beta, frozen);
    Ready decided = deliver(voted, alpha, frozen);
    Ready applied = deliver(decided, beta, frozen);
    Ready answered = deliver(applied, alpha, frozen);
    long committed = answered.answers().stream().filter(r -> r.outcome() instanceof Outcome.Committed).count();
    if (committed != batch.size()) {
      throw new IllegalStateException(committed + " of " + batch.size() + " transfers committed: " + answered.answers());
    }
    return new Exchange(List.of(proposed, decided, answered), List.of(voted, applied));
  }

  /** Hands {@code sent}'s messages to {@code to} and takes what it produced. */
  public static Ready deliver(Ready sent, OrderCore to) {
    return deliver(sent, to, false);
  }

  private static Ready deliver(Ready sent, OrderCore to, boolean frozen) {
    for (Envelope e : sent.sent()) {
      to.receive(e);
    }
    return take(to, frozen);
  }

  private static Ready take(OrderCore core, boolean frozen) {
    Ready ready = core.ready();
    if (!ready.faults().isEmpty()) {
      throw new IllegalStateException(core.self() + " refused peer messages: " + ready.faults());
    }
    return frozen ? new Ready(ready.ledger(), copy(ready.protocol()), ready.counters(), ready.outbound(),
        ready.replies(), ready.snapshots(), ready.faults(), ready.early()) : ready;
  }

  private static ProtocolChanges copy(ProtocolChanges changes) {
    var copy = new ProtocolChanges();
    changes.votes().forEach((txn, vote) -> copy.vote(txn, vote.orElse(null)));
    changes.coordinations().forEach((txn, c) -> copy.coordination(txn, c.map(TwoBanks::copy).orElse(null)));
    changes.requests().forEach(copy::request);
    changes.operations().forEach(copy::operation);
    changes.votedRequests().forEach(copy::votedRequest);
    return copy;
  }

  private static Coordination copy(Coordination c) {
    return Coordination.restored(c.proposal(), new LinkedHashMap<>(c.acks()), c.decision(), List.copyOf(c.applied()));
  }

  /** A valid CPF (check digits computed) whose first nine digits are {@code seed}. */
  private static String cpf(int seed) {
    String base = String.format("%09d", seed);
    String withFirst = base + checkDigit(base, 10);
    return withFirst + checkDigit(withFirst, 11);
  }

  private static int checkDigit(String digits, int firstWeight) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      sum += (digits.charAt(i) - '0') * (firstWeight - i);
    }
    int r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  }
}
