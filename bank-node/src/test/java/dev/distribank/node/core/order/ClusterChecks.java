package dev.distribank.node.core.order;

import static dev.distribank.node.core.order.ClusterHistory.check;

import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.Consent;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reservation;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.order.ClusterHistory.Application;
import dev.distribank.node.core.order.ClusterHistory.Decision;
import dev.distribank.node.core.order.ClusterSimulation.Node;
import dev.distribank.node.core.order.SimulatedWorkload.Submission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The checks made once a simulated run has settled (nothing in flight, voted or coordinated), or has waited for that
 * implausibly long: the invariants of DESIGN §4 over the whole history, every client's answer, and that nothing is
 * left held or half done.
 */
final class ClusterChecks {
  private record Posting(AccountId account, long signedCents) {}

  private final ClusterHistory history;
  private final Map<String, Node> nodes;
  private final SimulatedWorkload workload;

  ClusterChecks(ClusterHistory history, Map<String, Node> nodes, SimulatedWorkload workload) {
    this.history = history;
    this.nodes = nodes;
    this.workload = workload;
  }

  void checkAll() {
    checkAtomicity();
    checkOneOrder();
    checkAnswers();
    checkOneTransactionPerRequest();
    checkConservation();
    checkQuiescent();
    checkAuthority();
  }

  /**
   * No debit without authority (DESIGN §3): every applied debit was asked for by a holder or employee of the account
   * signed in at the account's own bank, or by the grantee of a consent on that account that its entry names; each
   * consent's use is exactly the debits applied under it, and neither its total nor (per transaction) its
   * per-transaction limit was ever passed.
   */
  private void checkAuthority() {
    var usedByConsent = new HashMap<String, Long>();
    var perTransaction = new HashMap<String, Long>();
    history.applicationsByBank.forEach((bank, applications) -> {
      Bank b = nodes.get(bank).bank();
      for (Application app : applications) {
        for (LedgerEntry e : app.entries()) {
          if (e.amountCents() >= 0) {
            continue;
          }
          int at = e.initiator().lastIndexOf('@');
          var initiator = new Principal(e.initiator().substring(at + 1), e.initiator().substring(0, at));
          if (e.consentId() == Reservation.NO_CONSENT) {
            Account a = b.account(e.account(), "account");
            check(initiator.bank().equals(bank) && (a.holders().contains(initiator.login())
                || a.employees().contains(initiator.login())), "authority: %s debited %s at %s in %s with no "
                + "consent, but is not its holder", initiator, e.account(), bank, app.transactionId());
            continue;
          }
          Consent c = b.consent(e.consentId());
          check(c.account().equals(e.account()) && c.grantee().equals(initiator), "authority: %s debited %s in %s "
              + "under consent %s, which lets %s debit %s", initiator, e.account(), app.transactionId(), c.id(),
              c.grantee(), c.account());
          usedByConsent.merge(bank + "/" + c.id(), -e.amountCents(), Long::sum);
          perTransaction.merge(bank + "/" + c.id() + "/" + app.transactionId(), -e.amountCents(), Long::sum);
        }
      }
    });
    perTransaction.forEach((key, cents) -> {
      String[] parts = key.split("/");
      Consent c = nodes.get(parts[0]).bank().consent(Long.parseLong(parts[1]));
      check(c.limitPerTransactionCents() == 0 || cents <= c.limitPerTransactionCents(), "authority: %s debited %s "
          + "under consent %s, whose per-transaction limit is %s", parts[2], cents, c.id(),
          c.limitPerTransactionCents());
    });
    for (Node n : nodes.values()) {
      for (var h : workload.holdings()) {
        if (!h.account().bank().equals(n.id())) {
          continue;
        }
        for (Consent c : n.bank().consentsOf(h.owner().at(n.id()), h.account())) {
          long used = usedByConsent.getOrDefault(n.id() + "/" + c.id(), 0L);
          check(c.usedCents() == used && c.reservedCents() == 0, "authority: consent %s at %s records %s used and %s "
              + "reserved; %s was applied under it", c.id(), n.id(), c.usedCents(), c.reservedCents(), used);
          check(c.totalLimitCents() == 0 || used <= c.totalLimitCents(), "authority: consent %s at %s let %s be "
              + "debited, over its total %s", c.id(), n.id(), used, c.totalLimitCents());
        }
      }
    }
  }

  /** I2 after every step: no balance or available balance is negative anywhere (so holds never exceed a balance). */
  static void checkNoOverdraft(Bank changed) {
    for (Account a : changed.accounts()) {
      check(a.balanceCents() >= 0, "I2: %s has balance %s", a.id(), a.balanceCents());
      check(a.heldCents() >= 0 && a.availableCents() >= 0, "I2: %s holds %s of its balance %s", a.id(),
          a.heldCents(), a.balanceCents());
    }
  }

  /** I3: a committed transaction is applied by every participant, with exactly its postings; an aborted one by none. */
  private void checkAtomicity() {
    history.decisions.forEach((txn, d) -> {
      check(d.proposal().participants().equals(List.copyOf(participantsOf(d.proposal().legs()))),
          "%s was proposed to %s, but its legs touch %s", txn, d.proposal().participants(),
          participantsOf(d.proposal().legs()));
      Map<String, Application> applied = history.applicationsByTransaction.getOrDefault(txn, Map.of());
      if (!d.decide().commit()) {
        check(applied.isEmpty(), "I3: %s was aborted (%s) but applied at %s", txn, d.decide().refusal(),
            applied.keySet());
        return;
      }
      for (String bank : d.proposal().participants()) {
        check(applied.containsKey(bank), "I3: %s committed at %s but never applied at %s (applied at %s)", txn,
            d.decide().finalStamp(), bank, applied.keySet());
        List<Posting> got = applied.get(bank).entries().stream()
            .map(e -> new Posting(e.account(), e.amountCents())).sorted(POSTING_ORDER).toList();
        List<Posting> wanted = expectedPostings(d.proposal().legs(), bank);
        check(got.equals(wanted), "I3: %s at %s posted %s, its legs say %s", txn, bank, got, wanted);
      }
    });
    history.applicationsByTransaction.forEach((txn, atBanks) ->
        check(history.decisions.containsKey(txn), "I3: %s applied at %s but never decided", txn, atBanks.keySet()));
  }

  private static final Comparator<Posting> POSTING_ORDER =
      Comparator.comparing(Posting::account).thenComparingLong(Posting::signedCents);

  private List<Posting> expectedPostings(List<Leg> legs, String bank) {
    var out = new ArrayList<Posting>();
    for (Leg leg : legs) {
      if (leg.debits() && leg.from().bank().equals(bank)) {
        out.add(new Posting(leg.from(), -leg.amountCents()));
      }
      if (leg.credits() && leg.to().bank().equals(bank)) {
        out.add(new Posting(workload.resolve(leg.to()), leg.amountCents()));
      }
    }
    out.sort(POSTING_ORDER);
    return out;
  }

  private static TreeSet<String> participantsOf(List<Leg> legs) {
    var banks = new TreeSet<String>();
    for (Leg leg : legs) {
      if (leg.debits()) {
        banks.add(leg.from().bank());
      }
      if (leg.credits()) {
        banks.add(leg.to().bank());
      }
    }
    return banks;
  }

  /** I4: any two transactions applied at two banks are applied in the same relative order at both. */
  private void checkOneOrder() {
    for (var a : history.applicationsByBank.entrySet()) {
      for (var b : history.applicationsByBank.entrySet()) {
        if (a.getKey().compareTo(b.getKey()) >= 0) {
          continue;
        }
        var positionAtB = new HashMap<String, Integer>();
        for (int i = 0; i < b.getValue().size(); i++) {
          positionAtB.put(b.getValue().get(i).transactionId(), i);
        }
        String previous = null;
        int previousAtB = -1;
        for (Application app : a.getValue()) {
          Integer atB = positionAtB.get(app.transactionId());
          if (atB == null) {
            continue;
          }
          check(atB > previousAtB, "I4: %s applied %s before %s, %s the other way round", a.getKey(), previous,
              app.transactionId(), b.getKey());
          previous = app.transactionId();
          previousAtB = atB;
        }
      }
    }
  }

  /**
   * Every request got exactly one answer (none if its coordinator crashed first); a retry the first answer again; a
   * reused id a refusal. When the first request's answer was lost in a crash, its id is remembered only if its
   * transaction was durably decided: a retry gets that outcome again, or (presumed abort) runs as a new transaction.
   */
  private void checkAnswers() {
    for (Submission s : history.submissions.values()) {
      List<Outcome> got = history.replies.getOrDefault(s.tag(), List.of());
      if (history.lostInCrash.contains(s.tag())) {
        continue; // its coordinator crashed before answering: replied() refuses any later answer
      }
      check(got.size() == 1, "request #%s (%s %s at %s) got %s answers: %s", s.tag(), s.kind(), s.requestId(),
          s.coordinator(), got.size(), got);
      Outcome o = got.get(0);
      if (unavailable(o)) {
        continue; // checked when it was given: a bank the coordinator saw down was involved
      }
      switch (s.kind()) {
        case FRESH -> checkTransactionAnswer(s, o, false);
        case RETRY -> {
          Outcome first = firstAnswer(s);
          if (first != null) {
            checkSameAnswer(s, o, first);
          } else if (!reusedRefusal(o)) {
            checkTransactionAnswer(s, o, true);
          }
        }
        case REUSE -> {
          if (answerOf(s.original()) != null || reusedRefusal(o)) {
            check(reusedRefusal(o), "request #%s reused id %s for other legs but got %s", s.tag(), s.requestId(), o);
          } else {
            checkTransactionAnswer(s, o, true);
          }
        }
      }
    }
  }

  /**
   * For a retry, the first answer to the request it repeats: the earliest answered one up the chain of requests with
   * its legs. Null when a crash lost every such answer, or a bank down refused it at once (leaving no trace, so a
   * repeat runs as if it were the first).
   */
  private Outcome firstAnswer(Submission retry) {
    Outcome first = null;
    for (Submission x = retry.original(); x != null && x.legs().equals(retry.legs())
        && x.principal().equals(retry.principal()); x = x.original()) {
      first = answerOf(x) != null ? answerOf(x) : first;
    }
    return first;
  }

  private Outcome answerOf(Submission s) {
    return history.replies.getOrDefault(s.tag(), List.of()).stream().findFirst().filter(o -> !unavailable(o))
        .orElse(null);
  }

  private static boolean unavailable(Outcome o) {
    return o instanceof Outcome.Aborted a && a.transactionId() == null
        && a.refusal().reason() == Reason.BANK_UNAVAILABLE;
  }

  private static boolean reusedRefusal(Outcome o) {
    return o instanceof Outcome.Aborted a && a.transactionId() == null
        && a.refusal().reason() == Reason.REQUEST_ID_REUSED;
  }

  /** The answer names the transaction made for exactly this request, and says what its coordinator decided. */
  private void checkTransactionAnswer(Submission s, Outcome o, boolean mayReplay) {
    if (s.expect() == SimulatedWorkload.Expect.BANK_NOT_FOUND) {
      check(o instanceof Outcome.Aborted a && a.transactionId() == null
          && a.refusal().reason() == Reason.BANK_NOT_FOUND, "request #%s names a bank outside, got %s", s.tag(), o);
      return;
    }
    Decision d = history.decisions.get(o.transactionId());
    check(d != null, "request #%s answered %s for a transaction never decided", s.tag(), o);
    check(d.proposal().legs().equals(s.legs()) && d.proposal().principal().equals(s.principal())
        && d.proposal().requestId().equals(s.requestId()), "request #%s got %s, proposed as %s", s.tag(),
        o.transactionId(), d.proposal());
    switch (o) {
      case Outcome.Committed c -> {
        check(d.decide().commit(), "request #%s answered COMMITTED, decided %s", s.tag(), d.decide());
        check(c.stamp().equals(d.decide().finalStamp()) && (mayReplay || !c.replayed()),
            "request #%s answered %s, decided %s", s.tag(), c, d.decide());
        check(c.legs().equals(resolved(s.legs())), "request #%s answered legs %s, expected %s", s.tag(), c.legs(),
            resolved(s.legs()));
        check(s.expect() != SimulatedWorkload.Expect.ABORT, "request #%s has a leg that can never pass, but "
            + "committed: %s", s.tag(), s.legs());
      }
      case Outcome.Aborted a -> {
        check(!d.decide().commit() && a.refusal().equals(d.decide().refusal()),
            "request #%s answered %s, decided %s", s.tag(), a, d.decide());
        check(s.expect() != SimulatedWorkload.Expect.COMMIT || a.refusal().reason() == Reason.TIMED_OUT
            || a.refusal().reason() == Reason.BANK_UNAVAILABLE,
            "request #%s only deposits, but aborted: %s", s.tag(), a.refusal());
      }
    }
  }

  private List<Leg> resolved(List<Leg> legs) {
    return legs.stream().map(l -> l.to() instanceof Destination.ToPixKey
        ? new Leg(l.kind(), l.from(), new Destination.ToAccount(workload.resolve(l.to())), l.amountCents())
        : l).toList();
  }

  private static void checkSameAnswer(Submission retry, Outcome o, Outcome first) {
    boolean same = switch (first) {
      case Outcome.Committed c -> o instanceof Outcome.Committed r && r.transactionId().equals(c.transactionId())
          && r.stamp().equals(c.stamp()) && r.legs().equals(c.legs());
      case Outcome.Aborted a -> o instanceof Outcome.Aborted r && r.refusal().equals(a.refusal())
          && Objects.equals(r.transactionId(), a.transactionId());
    };
    check(same, "I6: retry #%s of request %s got %s, the first answer was %s", retry.tag(), retry.requestId(), o,
        first);
  }

  /**
   * I6: a transaction answers one request (or, by id, its retries); a request id is committed at most once; a bank
   * that never crashed created exactly the transactions it answered.
   */
  private void checkOneTransactionPerRequest() {
    var requestOf = new HashMap<String, Submission>();
    var committedFor = new HashMap<String, String>();
    var answeredPerCoordinator = new HashMap<String, Integer>();
    for (Submission s : history.submissions.values()) {
      String txn = history.replies.getOrDefault(s.tag(), List.of()).stream().findFirst()
          .map(Outcome::transactionId).orElse(null);
      if (txn == null) {
        continue;
      }
      Submission before = requestOf.putIfAbsent(txn, s);
      if (before == null) {
        answeredPerCoordinator.merge(s.coordinator(), 1, Integer::sum);
      }
      check(before == null || !s.requestId().isEmpty() && before.requestId().equals(s.requestId())
          && before.coordinator().equals(s.coordinator()), "I6: requests #%s and #%s both became %s",
          before == null ? 0 : before.tag(), s.tag(), txn);
    }
    history.decisions.forEach((txn, d) -> {
      String coordinator = d.proposal().coordinator();
      check(requestOf.containsKey(txn) || history.crashedBanks.contains(coordinator),
          "I6: %s was decided but answers no request", txn);
      if (d.decide().commit() && !d.proposal().requestId().isEmpty()) {
        String other = committedFor.put(coordinator + "|" + d.proposal().requestId(), txn);
        check(other == null, "I6: request id %s at %s committed twice: %s and %s", d.proposal().requestId(),
            coordinator, other, txn);
      }
    });
    for (Node n : nodes.values()) {
      check(history.crashedBanks.contains(n.id())
          || n.core().lastTransactionSeq() == answeredPerCoordinator.getOrDefault(n.id(), 0),
          "I6: %s created %s transactions but answered %s", n.id(), n.core().lastTransactionSeq(),
          answeredPerCoordinator.getOrDefault(n.id(), 0));
    }
  }

  /** I1: the money in all banks is what committed deposits brought in minus what committed withdrawals took out. */
  private void checkConservation() {
    long in = 0;
    for (Decision d : history.decisions.values()) {
      if (!d.decide().commit()) {
        continue;
      }
      for (Leg leg : d.proposal().legs()) {
        switch (leg.kind()) {
          case DEPOSIT -> in = Math.addExact(in, leg.amountCents());
          case WITHDRAWAL -> in = Math.subtractExact(in, leg.amountCents());
          case TRANSFER -> { }
        }
      }
    }
    long held = 0;
    for (Node n : nodes.values()) {
      for (Account a : n.bank().accounts()) {
        held = Math.addExact(held, a.balanceCents());
        check(a.balanceCents() == history.statementBalance(a.id()), "%s has balance %s, its statement says %s",
            a.id(), a.balanceCents(), history.statementBalance(a.id()));
      }
    }
    check(held == in, "I1: the banks hold %s, but deposits minus withdrawals committed is %s", held, in);
  }

  /** Liveness: with the network drained, nothing is still voted, coordinated or held. */
  private void checkQuiescent() {
    for (Node n : nodes.values()) {
      check(n.core().pendingVotes() == 0, "%s still has %s pending votes", n.id(), n.core().pendingVotes());
      check(n.core().activeCoordinations() == 0, "%s still coordinates %s transactions", n.id(),
          n.core().activeCoordinations());
      for (Account a : n.bank().accounts()) {
        check(a.heldCents() == 0, "%s still holds %s cents", a.id(), a.heldCents());
      }
    }
  }
}
