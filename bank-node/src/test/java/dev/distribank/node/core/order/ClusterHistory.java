package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.core.order.SimulatedWorkload.Submission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything a simulated run observed, in the order it happened: the requests sent, the answers given, each
 * coordinator's decisions and each bank's applications (read from its ledger entries). The checks that can be made
 * as each event arrives are made here, at once, so a failure points at the step that caused it.
 */
final class ClusterHistory {

  /** One bank applying one transaction: its ledger entries, written together, in the order the bank wrote them. */
  record Application(String bank, String transactionId, Stamp stamp, List<LedgerEntry> entries, long step) {}

  /** A coordinator's decision, with the proposal it decided on. */
  record Decision(Message.Propose proposal, Message.Decide decide) {}

  final Map<Long, Submission> submissions = new LinkedHashMap<>();
  final Map<Long, List<Outcome>> replies = new HashMap<>();
  final Map<String, Decision> decisions = new LinkedHashMap<>();
  /** Transactions proposed to another bank (a transaction that never left its coordinator is not here). */
  final Map<String, Message.Propose> proposals = new HashMap<>();
  /** Requests whose coordinator crashed before answering them: they are never answered. */
  final Set<Long> lostInCrash = new HashSet<>();
  final Set<String> crashedBanks = new HashSet<>();
  /** Bank → its applications in the order it made them. */
  final Map<String, List<Application>> applicationsByBank = new TreeMap<>();
  /** Transaction → bank → the application there. */
  final Map<String, Map<String, Application>> applicationsByTransaction = new HashMap<>();
  /** Account → {last entry sequence, balance after it}, to check each statement line follows the one before. */
  private final Map<AccountId, long[]> statements = new HashMap<>();
  /** Audit → its cut and the banks' answers so far. */
  final Map<Long, Audit> audits = new LinkedHashMap<>();
  /** Bank → the latest audit cut it answered: nothing at or below it may be applied there afterwards. */
  private final Map<String, Long> answeredCuts = new HashMap<>();

  /** An audit at one global timestamp: the cut, the banks asked, and each one's totals as of the cut. */
  record Audit(long id, long cut, int banks, Map<String, AuditTrail.Snapshot> answers) {}

  void submitted(Submission s) {
    submissions.put(s.tag(), s);
  }

  /** A bank crashed: the requests it had not answered yet are lost with it (their clients may retry). */
  List<Submission> crashed(String bank) {
    crashedBanks.add(bank);
    var lost = submissions.values().stream()
        .filter(s -> s.coordinator().equals(bank) && !replies.containsKey(s.tag()) && !lostInCrash.contains(s.tag()))
        .toList();
    lost.forEach(s -> lostInCrash.add(s.tag()));
    return lost;
  }

  /** A proposal left its coordinator: a transaction id names one transaction for ever, crashes or not. */
  void proposed(Message.Propose p) {
    Message.Propose before = proposals.putIfAbsent(p.transactionId(), p);
    check(before == null || before.equals(p), "transaction id %s reused: %s, then %s", p.transactionId(), before, p);
  }

  /**
   * A transaction whose only participant is its coordinator runs propose → decide → apply → forget in one call, so
   * its coordination never reaches the protocol changes. Its decision is what the bank logged and answered at once.
   */
  void decidedLocally(String bank, Operation op, List<Ready.Reply> replies) {
    Ready.Reply answer = replies.stream().filter(r -> op.transactionId().equals(r.outcome().transactionId()))
        .findFirst().orElse(null);
    check(answer != null, "%s finished %s, which it coordinates, without deciding or answering it", bank,
        op.transactionId());
    Submission s = submissions.get(answer.tag());
    decided(new Message.Propose(op.transactionId(), bank, s.principal(), s.legs(), List.of(bank),
        s.requestId()), new Message.Decide(op.transactionId(), op.committed(), op.stamp(), op.refusal()));
  }

  /** A coordinator decided: a decision must never change once made. */
  void decided(Message.Propose proposal, Message.Decide decide) {
    Message.Propose sent = proposals.get(proposal.transactionId());
    check(sent == null || sent.equals(proposal), "%s decided on %s but proposed as %s", proposal.transactionId(),
        proposal, sent);
    Decision before = decisions.putIfAbsent(proposal.transactionId(), new Decision(proposal, decide));
    check(before == null || before.decide().equals(decide), "decision of %s changed from %s to %s",
        proposal.transactionId(), before == null ? null : before.decide(), decide);
  }

  /** A bank's ledger entries from one step: consecutive entries of one transaction are one application. */
  void entries(String bank, List<LedgerEntry> entries, long step) {
    int i = 0;
    while (i < entries.size()) {
      String txn = entries.get(i).transactionId();
      int end = i;
      while (end < entries.size() && entries.get(end).transactionId().equals(txn)) {
        end++;
      }
      applied(bank, List.copyOf(entries.subList(i, end)), step);
      i = end;
    }
  }

  private void applied(String bank, List<LedgerEntry> entries, long step) {
    String txn = entries.get(0).transactionId();
    Stamp stamp = entries.get(0).stamp();
    for (LedgerEntry e : entries) {
      check(e.stamp().equals(stamp), "I4: %s's entries for %s carry two stamps, %s and %s", bank, txn, stamp,
          e.stamp());
      checkStatementLine(e);
    }
    Decision d = decisions.get(txn);
    check(d != null, "I3: %s applied %s, which no coordinator decided", bank, txn);
    check(d.decide().commit(), "I3: %s applied %s, which was decided ABORT (%s)", bank, txn, d.decide().refusal());
    check(stamp.equals(d.decide().finalStamp()), "I4: %s applied %s at %s, but its final timestamp is %s", bank,
        txn, stamp, d.decide().finalStamp());
    check(d.proposal().participants().contains(bank), "I3: %s applied %s but is not one of its participants %s",
        bank, txn, d.proposal().participants());
    long answered = answeredCuts.getOrDefault(bank, -1L);
    check(stamp.counter() > answered, "audit: %s applied %s at %s after answering an audit cut at %s", bank, txn,
        stamp, answered);
    var atBank = applicationsByBank.computeIfAbsent(bank, b -> new ArrayList<>());
    Application before = applicationsByTransaction.computeIfAbsent(txn, t -> new TreeMap<>()).get(bank);
    check(before == null, "I6: %s applied %s twice (steps %s and %s)", bank, txn, before == null ? 0 : before.step(),
        step);
    if (!atBank.isEmpty()) {
      Application last = atBank.get(atBank.size() - 1);
      check(last.stamp().compareTo(stamp) < 0, "I4: %s applied %s at %s after %s at %s: not in timestamp order", bank,
          txn, stamp, last.transactionId(), last.stamp());
    }
    var a = new Application(bank, txn, stamp, entries, step);
    atBank.add(a);
    applicationsByTransaction.get(txn).put(bank, a);
  }

  /** Each statement line continues the one before: sequence + 1, balance = previous balance + amount. */
  private void checkStatementLine(LedgerEntry e) {
    long[] last = statements.computeIfAbsent(e.account(), a -> new long[2]);
    check(e.sequence() == last[0] + 1, "%s: entry %s follows entry %s", e.account(), e.sequence(), last[0]);
    check(e.balanceCents() == last[1] + e.amountCents(), "%s: entry %s says balance %s, expected %s + %s",
        e.account(), e.sequence(), e.balanceCents(), last[1], e.amountCents());
    last[0] = e.sequence();
    last[1] = e.balanceCents();
  }

  /** The balance the account's statement adds up to. */
  long statementBalance(AccountId account) {
    long[] last = statements.get(account);
    return last == null ? 0 : last[1];
  }

  /**
   * A client answer: one per request. COMMITTED comes once every participant has applied, or (DESIGN §4.3) when one is
   * slow to confirm, on a time-out: {@code onTimeOut} says the answer came out of a tick.
   */
  void replied(long tag, Outcome outcome, boolean onTimeOut) {
    check(submissions.containsKey(tag), "answer for unknown request tag %s: %s", tag, outcome);
    check(!lostInCrash.contains(tag), "request %s answered after its coordinator crashed: %s", tag, outcome);
    List<Outcome> got = replies.computeIfAbsent(tag, t -> new ArrayList<>());
    got.add(outcome);
    check(got.size() == 1, "request %s answered %s times: %s", tag, got.size(), got);
    if (outcome instanceof Outcome.Committed c && !c.replayed() && !onTimeOut) {
      Decision d = decisions.get(c.transactionId());
      check(d != null && d.decide().commit(), "%s answered COMMITTED but not decided so", c.transactionId());
      for (String bank : d.proposal().participants()) {
        check(applicationsByTransaction.getOrDefault(c.transactionId(), Map.of()).containsKey(bank),
            "%s answered COMMITTED before %s applied it", c.transactionId(), bank);
      }
    }
  }

  void auditStarted(long id, long cut, int banks) {
    audits.put(id, new Audit(id, cut, banks, new TreeMap<>()));
  }

  /**
   * A bank's totals as of an audit's cut: exactly what the transactions it applied up to the cut add up to. When the
   * last bank answers, I1 at the cut: the money in all banks is what came in minus what went out.
   */
  void audited(long id, String bank, AuditTrail.Snapshot got) {
    Audit audit = audits.get(id);
    check(audit.answers().put(bank, got) == null, "audit %s: %s answered twice", id, bank);
    long total = 0;
    long deposits = 0;
    long withdrawals = 0;
    for (Application a : applicationsByBank.getOrDefault(bank, List.of())) {
      if (a.stamp().counter() > audit.cut()) {
        continue;
      }
      for (LedgerEntry e : a.entries()) {
        total += e.amountCents();
        deposits += e.counterparty().equals("deposit") ? e.amountCents() : 0;
        withdrawals -= e.counterparty().equals("withdrawal") ? e.amountCents() : 0;
      }
    }
    check(got.bank().equals(bank) && got.totalBalanceCents().longValueExact() == total
        && got.depositsCents().longValueExact() == deposits && got.withdrawalsCents().longValueExact() == withdrawals
        && got.negativeAccounts() == 0,
        "audit at %s: %s reported %s; what it applied up to the cut adds up to balance %s, deposits %s, "
            + "withdrawals %s", audit.cut(), bank, got, total, deposits, withdrawals);
    var flows = flowsUpTo(bank, audit.cut());
    check(got.flows().keySet().containsAll(flows.keySet()) && got.flows().entrySet().stream()
        .allMatch(f -> f.getValue().equals(flows.getOrDefault(f.getKey(), AuditTrail.Flow.NONE))),
        "audit at %s: %s reported flows %s; its ledger entries up to the cut say %s", audit.cut(), bank,
        got.flows(), flows);
    answeredCuts.merge(bank, audit.cut(), Math::max);
    if (audit.answers().size() == audit.banks()) {
      checkBilateral(audit);
      long money = audit.answers().values().stream().mapToLong(t -> t.totalBalanceCents().longValueExact()).sum();
      long in = audit.answers().values().stream()
          .mapToLong(t -> t.depositsCents().subtract(t.withdrawalsCents()).longValueExact()).sum();
      check(money == in, "I1 at audit cut %s: the banks hold %s, deposits minus withdrawals is %s: %s",
          audit.cut(), money, in, audit.answers());
    }
  }

  /**
   * Per other bank, what {@code bank}'s ledger entries up to the cut sent there and received from there, read off
   * each entry's counterparty ("beta:1001", "beta:pix:key"): an independent count of what its audit trail records.
   */
  private Map<String, AuditTrail.Flow> flowsUpTo(String bank, long cut) {
    var out = new TreeMap<String, AuditTrail.Flow>();
    for (Application a : applicationsByBank.getOrDefault(bank, List.of())) {
      if (a.stamp().counter() > cut) {
        continue;
      }
      for (LedgerEntry e : a.entries()) {
        String other = e.counterparty().split(":", 2)[0];
        if (e.counterparty().equals("deposit") || e.counterparty().equals("withdrawal") || other.equals(bank)) {
          continue;
        }
        var amount = java.math.BigInteger.valueOf(Math.abs(e.amountCents()));
        var before = out.getOrDefault(other, AuditTrail.Flow.NONE);
        out.put(other, e.amountCents() < 0 ? new AuditTrail.Flow(before.sentCents().add(amount), before.receivedCents())
            : new AuditTrail.Flow(before.sentCents(), before.receivedCents().add(amount)));
      }
    }
    return out;
  }

  /** The bilateral audit at one cut: what every bank says it sent to another is what that one says it received. */
  private static void checkBilateral(Audit audit) {
    audit.answers().forEach((a, fromA) -> audit.answers().forEach((b, fromB) -> {
      if (!a.equals(b)) {
        var ab = fromA.flows().get(b);
        var ba = fromB.flows().get(a);
        check(ab != null && ba != null && ab.sentCents().equals(ba.receivedCents()),
            "bilateral audit at cut %s: %s says it sent %s to %s, which says it received %s", audit.cut(), a,
            ab == null ? null : ab.sentCents(), b, ba == null ? null : ba.receivedCents());
      }
    }));
  }

  /**
   * A decision message that contradicts the coordinator's decision (an ABORT answering a late inquiry about a
   * transaction already applied and forgotten) is harmless only where the transaction is already applied.
   */
  void checkDecisionMessage(String to, Message.Decide d) {
    ClusterHistory.Decision decided = decisions.get(d.transactionId());
    if (decided == null || decided.decide().commit() == d.commit()) {
      return;
    }
    check(!d.commit(), "I3: %s is told COMMIT for %s, which was decided ABORT", to, d.transactionId());
    check(applicationsByTransaction.getOrDefault(d.transactionId(), Map.of()).containsKey(to),
        "I3: %s is told ABORT for %s, which was decided COMMIT and is not applied there yet", to,
        d.transactionId());
  }

  static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new AssertionError(String.format(format, args));
    }
  }
}
