package dev.distribank.cli.top;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.distribank.cli.operator.ClusterCommands;
import dev.distribank.cli.text.Table;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * One refresh of {@code top}: every bank's line and the consortium's, as a table for people or as one JSON object
 * for scripts. An unknown figure prints as "-" (null in JSON), never as a made-up zero.
 */
record TopReport(Instant time, Duration interval, List<BankView> banks, BankView consortium) {
  private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  static TopReport of(Instant time, Duration interval, List<BankView> banks) {
    return new TopReport(time, interval, List.copyOf(banks), BankView.consortium(banks));
  }

  /** The table, a title line above it and, below it, why each DOWN bank is down. */
  String text() {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    out.println("distribank top  " + time.truncatedTo(ChronoUnit.SECONDS) + "  every " + every(interval) + "  "
        + consortium.banksUp() + "/" + banks.size() + " banks up");
    Table table = new Table().left("BANK").left("STATE").right("TX/S").right("ABORTS/S").right("P99")
        .right("IN-DOUBT").right("OLDEST").right("QUEUE").right("HEAD WAIT").right("FSYNC P99").right("LINKS");
    for (BankView b : banks) {
      row(table, b, b.up() ? "UP" : "DOWN");
    }
    row(table, consortium, consortium.banksUp() + "/" + consortium.banks() + " UP");
    table.print(out);
    for (BankView b : banks) {
      if (!b.up()) {
        out.println(b.bank() + ": DOWN at " + b.url() + ": " + b.problem());
      }
    }
    out.flush();
    return text.toString();
  }

  private static void row(Table table, BankView b, String state) {
    table.row(b.bank(), state, rate(b.txPerSecond()), rate(b.abortedPerSecond()), latency(b.p99Seconds()),
        count(b.inDoubtVotes()), age(b.inDoubtVotes() > 0 ? b.inDoubtOldestSeconds() : Double.NaN),
        count(b.queueDepth()), age(b.queueDepth() > 0 ? b.headWaitSeconds() : Double.NaN),
        latency(b.fsyncP99Seconds()), b.linksKnown() < 0 ? "-" : b.linksUp() + "/" + b.linksKnown());
  }

  /** The report as one line of JSON: seconds as numbers, unknown figures as null. */
  String json() {
    JsonObject report = new JsonObject();
    report.addProperty("time", time.toString());
    report.addProperty("intervalSeconds", interval.toMillis() / 1000.0);
    JsonArray list = new JsonArray();
    banks.forEach(b -> list.add(json(b)));
    report.add("banks", list);
    JsonObject total = json(consortium);
    total.remove("url");
    total.remove("problem");
    total.addProperty("banksUp", consortium.banksUp());
    total.addProperty("banks", consortium.banks());
    report.add("consortium", total);
    return GSON.toJson(report);
  }

  private static JsonObject json(BankView b) {
    JsonObject o = new JsonObject();
    o.addProperty("bank", b.bank());
    o.addProperty("url", b.url());
    o.addProperty("state", b.up() ? "UP" : "DOWN");
    o.addProperty("problem", b.up() ? null : b.problem());
    o.addProperty("txPerSecond", finite(b.txPerSecond()));
    o.addProperty("abortsPerSecond", finite(b.abortedPerSecond()));
    o.addProperty("p99Seconds", seconds(b.p99Seconds()));
    o.addProperty("inDoubtVotes", whole(b.inDoubtVotes()));
    o.addProperty("inDoubtOldestSeconds", seconds(b.inDoubtOldestSeconds()));
    o.addProperty("deliveryQueueDepth", whole(b.queueDepth()));
    o.addProperty("deliveryHeadWaitSeconds", seconds(b.headWaitSeconds()));
    o.addProperty("fsyncP99Seconds", seconds(b.fsyncP99Seconds()));
    o.addProperty("linksUp", b.linksKnown() < 0 ? null : b.linksUp());
    o.addProperty("linksKnown", b.linksKnown() < 0 ? null : b.linksKnown());
    return o;
  }

  /** The value, or null for NaN and infinities, which JSON cannot carry. */
  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /** Seconds to the microsecond: the buckets' interpolation gives no more, and 0.009810810810810814 reads badly. */
  private static Double seconds(double value) {
    return Double.isFinite(value) ? Math.round(value * 1e6) / 1e6 : null;
  }

  /** A count (votes, queued operations) as a whole number when it is one. */
  private static Number whole(double value) {
    if (!Double.isFinite(value)) {
      return null;
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Number) (long) value : (Number) value;
  }

  private static String every(Duration interval) {
    long ms = interval.toMillis();
    return ms % 1000 == 0 ? ClusterCommands.elapsed(interval) : ms + "ms";
  }

  static String rate(double perSecond) {
    return Double.isFinite(perSecond) ? String.format(Locale.ROOT, "%.1f", perSecond) : "-";
  }

  static String count(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.0f", value) : "-";
  }

  /** "0.85 ms", "12.3 ms", "1.25 s": three significant digits, near enough to compare banks by eye. */
  static String latency(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "-";
    }
    double ms = seconds * 1000;
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f ms", ms);
    }
    return ms < 1000 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.2f s", seconds);
  }

  /** "20ms" below a second, "1.5s" below ten (an in-doubt vote's age matters early), then as cluster status does. */
  static String age(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "-";
    }
    if (seconds < 1) {
      return Math.round(seconds * 1000) + "ms";
    }
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    return ClusterCommands.elapsed(Duration.ofSeconds((long) Math.min(seconds, 1e12)));
  }
}
