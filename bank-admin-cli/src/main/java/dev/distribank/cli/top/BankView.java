package dev.distribank.cli.top;

import dev.distribank.cli.top.MetricsScraper.Scrape;
import java.util.List;
import java.util.Set;

/**
 * What {@code top} shows of one bank (or, as {@link #consortium}, of all of them): the rates between two scrapes and
 * the gauges of the later one. A figure not known (the bank is down, the first scrape has nothing to compare with,
 * the node does not export it) is NaN, or -1 for the link counts.
 *
 * @param problem why the bank is DOWN; "" when it is UP
 * @param calls the money-moving calls' latencies observed between the two scrapes
 * @param fsyncs the synced RocksDB writes' latencies observed between the two scrapes
 */
record BankView(String bank, String url, String problem, double txPerSecond, double abortedPerSecond, Buckets calls,
    double inDoubtVotes, double inDoubtOldestSeconds, double queueDepth, double headWaitSeconds, Buckets fsyncs,
    int linksUp, int linksKnown, int banksUp, int banks) {

  /**
   * The calls whose latency is the bank's p99: the ones that move money. Logins (deliberately slow password hashing),
   * reads and the long-lived StreamTransactions stream would say nothing about how fast money moves.
   */
  static final Set<String> MONEY_METHODS = Set.of("bank.v1.BankService/Transfer", "bank.v1.BankService/Deposit",
      "bank.v1.BankService/Withdraw", "bank.v1.BankService/SubmitTransactions");

  boolean up() {
    return problem.isEmpty();
  }

  double p99Seconds() {
    return calls.quantile(0.99);
  }

  double fsyncP99Seconds() {
    return fsyncs.quantile(0.99);
  }

  /**
   * One bank's view from its scrape {@code now} and the one before it ({@code earlier}, null or failed when there is
   * none to compare with), {@code seconds} apart.
   */
  static BankView of(String bank, String url, Scrape earlier, Scrape now, double seconds) {
    if (!now.ok()) {
      return new BankView(bank, url, now.problem(), Double.NaN, Double.NaN, Buckets.EMPTY, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, Buckets.EMPTY, -1, -1, 0, 1);
    }
    MetricsScrape m = now.metrics();
    double tx = Double.NaN;
    double aborted = Double.NaN;
    Buckets calls = Buckets.EMPTY;
    Buckets fsyncs = Buckets.EMPTY;
    if (earlier != null && earlier.ok() && seconds > 0) {
      MetricsScrape e = earlier.metrics();
      tx = m.increase(e, "distribank_transactions_total", s -> true) / seconds;
      aborted = m.increase(e, "distribank_transactions_total", s -> s.label("outcome").equals("aborted")) / seconds;
      if (Double.isNaN(aborted) && !Double.isNaN(tx)) {
        aborted = 0; // no abort series yet: none aborted
      }
      calls = m.bucketIncrease(e, "grpc_server_call_duration_seconds",
          s -> MONEY_METHODS.contains(s.label("grpc_method")));
      fsyncs = m.bucketIncrease(e, "distribank_fsync_duration_seconds", s -> true);
    }
    int[] links = m.links();
    return new BankView(bank, url, "", tx, aborted, calls, m.sum("distribank_in_doubt_votes"),
        m.max("distribank_in_doubt_oldest_age_seconds"), m.sum("distribank_delivery_queue_depth"),
        m.max("distribank_delivery_head_wait_seconds"), fsyncs, links[1] == 0 ? -1 : links[0],
        links[1] == 0 ? -1 : links[1], 1, 1);
  }

  /**
   * The consortium as one line: rates and counts summed over the banks that are up, ages and waits at their worst,
   * and the p99s of every bank's observations taken together (not an average of p99s, which means nothing).
   */
  static BankView consortium(List<BankView> banks) {
    double tx = Double.NaN;
    double aborted = Double.NaN;
    double inDoubt = Double.NaN;
    double oldest = Double.NaN;
    double queue = Double.NaN;
    double headWait = Double.NaN;
    Buckets calls = Buckets.EMPTY;
    Buckets fsyncs = Buckets.EMPTY;
    int linksUp = -1;
    int linksKnown = -1;
    int up = 0;
    for (BankView b : banks) {
      if (!b.up()) {
        continue;
      }
      up++;
      tx = plus(tx, b.txPerSecond);
      aborted = plus(aborted, b.abortedPerSecond);
      inDoubt = plus(inDoubt, b.inDoubtVotes);
      oldest = worst(oldest, b.inDoubtOldestSeconds);
      queue = plus(queue, b.queueDepth);
      headWait = worst(headWait, b.headWaitSeconds);
      calls = calls.plus(b.calls);
      fsyncs = fsyncs.plus(b.fsyncs);
      if (b.linksKnown >= 0) {
        linksUp = Math.max(linksUp, 0) + b.linksUp;
        linksKnown = Math.max(linksKnown, 0) + b.linksKnown;
      }
    }
    return new BankView("consortium", "", up == 0 ? "no bank answered" : "", tx, aborted, calls, inDoubt, oldest,
        queue, headWait, fsyncs, linksUp, linksKnown, up, banks.size());
  }

  private static double plus(double sum, double value) {
    return Double.isNaN(value) ? sum : Double.isNaN(sum) ? value : sum + value;
  }

  private static double worst(double worst, double value) {
    return Double.isNaN(value) ? worst : Double.isNaN(worst) ? value : Math.max(worst, value);
  }
}
