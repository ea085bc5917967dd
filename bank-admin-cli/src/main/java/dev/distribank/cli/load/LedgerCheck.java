package dev.distribank.cli.load;

import dev.distribank.cli.BankConnection;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.ListOperationsRequest;
import dev.distribank.proto.bank.v1.ListOperationsResponse;
import dev.distribank.proto.bank.v1.Operation;
import dev.distribank.proto.bank.v1.OperationStatus;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * After a load run, checks the banks' operation logs against what the clients were told.
 *
 * <p>Every acknowledged transaction (a receipt came back) must appear exactly once, COMMITTED, in the operation log of
 * every bank its legs touch: missing means an acknowledged transfer was lost, twice means it was applied twice, and
 * ABORTED means the banks disagree with the receipt. And for every transaction of this run's customer found in any log
 * (acknowledged or not: a transfer whose answer was lost may still have committed), I3 atomicity must hold: COMMITTED
 * at one participant means COMMITTED at all of them.
 *
 * <p>Run it after the audit: the audit waits until every bank has applied everything up to its cut, so a committed
 * transaction is in every participant's log by then. Each bank's log is read whole (newest first, a page at a time,
 * bounded by {@link #MAX_PAGES}); only entries of this customer's transactions are kept.
 */
final class LedgerCheck {
  static final int PAGE_SIZE = 1000;
  /** Bounds the reading of one bank's log: 20 million operations. */
  static final int MAX_PAGES = 20_000;
  private static final int MAX_EXAMPLES = 5;

  /** The transactions acknowledged during a run and the banks each touched; safe to add to from every client. */
  static final class Acknowledged {
    private final Map<String, Set<String>> banks = new ConcurrentHashMap<>();
    private final LongAdder repeated = new LongAdder();

    void add(TransactionReceipt receipt) {
      if (banks.putIfAbsent(receipt.getTransactionId(), banksOf(receipt.getLegsList())) != null) {
        // Two requests answered with one transaction id: a bank bug the check reports.
        repeated.increment();
      }
    }

    int size() {
      return banks.size();
    }
  }

  /**
   * What the check found. {@code missing}, {@code duplicated} and {@code contradicted} count acknowledged transactions
   * absent from, repeated in, or recorded as ABORTED in some participant's log; {@code atomicityViolations} counts
   * transactions COMMITTED at one participant and not at another; {@code problems} shows the first few cases.
   */
  record Result(long acknowledged, long verified, long missing, long duplicated, long contradicted,
      long atomicityViolations, long acknowledgedTwice, long transactionsChecked, long operationsRead,
      boolean complete, List<String> problems) {
    boolean passed() {
      return complete && missing == 0 && duplicated == 0 && contradicted == 0 && atomicityViolations == 0
          && acknowledgedTwice == 0;
    }
  }

  /** One transaction as one bank's log records it. */
  private static final class Entry {
    int committed;
    int aborted;
    boolean ours;
    final Set<String> participants = new TreeSet<>();
  }

  /** One bank's operation log, a page at a time: the page after {@code pageToken} ("" for the newest). */
  @FunctionalInterface
  interface OperationLog {
    ListOperationsResponse page(String pageToken);

    /** The log of the bank at {@code connection}, read with the admin token. */
    static OperationLog of(BankConnection connection, String adminToken) {
      return pageToken -> connection.admin(adminToken).listOperations(ListOperationsRequest.newBuilder()
          .setPageSize(PAGE_SIZE).setPageToken(pageToken).build());
    }
  }

  private final Map<String, OperationLog> banks;
  private final String principalPrefix;
  private final List<String> problems = new ArrayList<>();
  private boolean complete = true;
  private long operationsRead;

  /**
   * @param banks every bank whose log to read, by id
   * @param login the load customer's login: its transactions are logged with principal {@code login@bank}
   */
  LedgerCheck(Map<String, OperationLog> banks, String login) {
    this.banks = banks;
    this.principalPrefix = login + "@";
  }

  Result run(Acknowledged acknowledged) {
    var logs = new HashMap<String, Map<String, Entry>>();
    banks.forEach((bank, log) -> logs.put(bank, read(bank, log, acknowledged)));
    long missing = 0;
    long duplicated = 0;
    long contradicted = 0;
    long verified = 0;
    for (Map.Entry<String, Set<String>> ack : acknowledged.banks.entrySet()) {
      boolean ok = true;
      for (String bank : ack.getValue()) {
        Entry e = logs.getOrDefault(bank, Map.of()).get(ack.getKey());
        String problem = e == null ? "missing" : e.aborted > 0 ? "ABORTED" : e.committed > 1 ? "logged "
            + e.committed + " times" : null;
        if (problem != null) {
          ok = false;
          note("acknowledged " + ack.getKey() + " is " + problem + " at " + bank);
          switch (problem) {
            case "missing" -> missing++;
            case "ABORTED" -> contradicted++;
            default -> duplicated++;
          }
          break;
        }
      }
      verified += ok ? 1 : 0;
    }
    Set<String> ours = new LinkedHashSet<>(acknowledged.banks.keySet());
    logs.values().forEach(log -> log.forEach((txn, e) -> {
      if (e.ours) {
        ours.add(txn);
      }
    }));
    long violations = 0;
    for (String txn : ours) {
      violations += atomic(txn, logs, acknowledged.banks.getOrDefault(txn, Set.of())) ? 0 : 1;
    }
    long twice = acknowledged.repeated.sum();
    if (twice > 0) {
      note(twice + " transaction id(s) came back in the receipts of two different requests");
    }
    return new Result(acknowledged.size(), verified, missing, duplicated, contradicted, violations, twice,
        ours.size(), operationsRead, complete, List.copyOf(problems));
  }

  /** I3 for one transaction: if any participant whose log was read committed it, every such participant did. */
  private boolean atomic(String txn, Map<String, Map<String, Entry>> logs, Set<String> acknowledgedBanks) {
    var participants = new TreeSet<>(acknowledgedBanks);
    logs.values().forEach(log -> {
      Entry e = log.get(txn);
      if (e != null) {
        participants.addAll(e.participants);
      }
    });
    participants.retainAll(logs.keySet());
    var committedAt = new TreeSet<String>();
    var notAt = new TreeSet<String>();
    for (String bank : participants) {
      Entry e = logs.get(bank).get(txn);
      (e != null && e.committed > 0 && e.aborted == 0 ? committedAt : notAt).add(bank);
    }
    if (committedAt.isEmpty() || notAt.isEmpty()) {
      return true;
    }
    note("I3: " + txn + " is COMMITTED at " + committedAt + " but missing or ABORTED at " + notAt);
    return false;
  }

  /**
   * Reads one bank's whole operation log, keeping the entries of this customer's transactions: those it asked for,
   * those acknowledged to it, and those without a principal (an abort logged by a bank that never saw the proposal).
   */
  private Map<String, Entry> read(String bank, OperationLog log, Acknowledged acknowledged) {
    var entries = new HashMap<String, Entry>();
    String pageToken = "";
    for (int page = 0; page < MAX_PAGES; page++) {
      ListOperationsResponse response = log.page(pageToken);
      for (Operation o : response.getOperationsList()) {
        operationsRead++;
        boolean ours = o.getPrincipal().startsWith(principalPrefix);
        if (!ours && !o.getPrincipal().isEmpty() && !acknowledged.banks.containsKey(o.getTransactionId())) {
          continue;
        }
        Entry e = entries.computeIfAbsent(o.getTransactionId(), id -> new Entry());
        e.ours |= ours;
        if (o.getStatus() == OperationStatus.OPERATION_STATUS_COMMITTED) {
          e.committed++;
        } else {
          e.aborted++;
        }
        e.participants.addAll(banksOf(o.getLegsList()));
      }
      pageToken = response.getNextPageToken();
      if (pageToken.isEmpty()) {
        return entries;
      }
    }
    complete = false;
    note("the operation log of " + bank + " is longer than " + (long) MAX_PAGES * PAGE_SIZE
        + " operations; only the newest were checked");
    return entries;
  }

  private void note(String problem) {
    if (problems.size() < MAX_EXAMPLES) {
      problems.add(problem);
    }
  }

  /** The banks a transaction's legs touch: the part before the first ':' of each account ("beta:pix:..." too). */
  static Set<String> banksOf(List<Leg> legs) {
    var banks = new TreeSet<String>();
    for (Leg leg : legs) {
      for (String account : List.of(leg.getFromAccount(), leg.getToAccount())) {
        int colon = account.indexOf(':');
        if (colon > 0) {
          banks.add(account.substring(0, colon));
        }
      }
    }
    return banks;
  }
}
