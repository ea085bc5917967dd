package dev.distribank.cli.top;

import dev.distribank.cli.BankAdmin;
import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.text.DurationConverter;
import dev.distribank.cli.text.StdoutTerminal;
import dev.distribank.cli.top.Endpoints.Endpoint;
import dev.distribank.cli.top.MetricsScraper.Scrape;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bank-admin top}: the whole consortium, live, from each bank's own {@code /metrics}. */
@Command(name = "top", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The whole consortium, live: per bank UP/DOWN, transactions and aborts per second, p99 latency of"
        + " the calls that move money (Transfer, Deposit, Withdraw, SubmitTransactions), in-doubt votes and the"
        + " oldest one's age, delivery queue depth and its head's wait, p99 of the synced disk writes, and peer links"
        + " up; then the consortium's totals.",
        "It reads each node's Prometheus metrics (the node's --metrics-listen): rates come from two scrapes an"
        + " --interval apart, p99s from their histograms' bucket increases. A bank that does not answer in time, or"
        + " answers with anything but its metrics, is DOWN with the reason; top goes on.",
        "On a terminal it redraws one screen every --interval until 'q' or Ctrl-C. When stdout is not a terminal"
        + " (a pipe, a file, a script) it prints a snapshot every --interval instead, without screen control codes."},
    footerHeading = "%nExamples:%n",
    footer = {"  bank-admin top                     (make run: metrics on 127.0.0.1:9401-9404)",
        "  bank-admin top --once",
        "  bank-admin top --metrics alpha=10.0.0.5:9400,beta=10.0.0.6:9400 --interval 5s",
        "  bank-admin top --metrics-file metrics.txt --output json --count 60 > top.log",
        "",
        "With --output json each snapshot is one line of JSON: seconds as numbers, unknown figures as null."})
public final class TopCommand implements Callable<Integer> {
  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_INTERVAL = Duration.ofHours(1);
  /** A bank gets at most this long to answer, however long the interval. */
  private static final Duration MAX_SCRAPE_TIME = Duration.ofSeconds(5);

  @Mixin
  private GlobalOptions global;

  @Spec
  private CommandSpec spec;

  @Option(names = "--metrics", split = ",", paramLabel = "[BANK=]ADDRESS",
      description = {"The banks' metrics endpoints, comma-separated: BANK=HOST:PORT (meaning"
          + " http://HOST:PORT/metrics) or BANK=URL; without BANK= the bank is named by its address.",
          "Default: $BANK_METRICS, else make run's: " + Endpoints.MAKE_RUN + "."})
  private List<String> metrics;

  @Option(names = "--metrics-file", paramLabel = "FILE",
      description = "Read the endpoints from FILE instead: one BANK=ADDRESS per line, # comments, as in the cluster"
          + " file (deploy/cluster.example) but with each bank's metrics address.")
  private Path metricsFile;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
      description = "Time between refreshes, and the longest a bank may take to answer (at most 5s): e.g. 1s, 500ms,"
          + " 5s. Default: ${DEFAULT-VALUE}.")
  private Duration interval;

  @Option(names = "--once",
      description = "Print one snapshot (two scrapes, --interval apart) and exit; plain text, no screen control.")
  private boolean once;

  @Option(names = "--count", paramLabel = "N",
      description = "Stop after N snapshots (with a terminal too). Default: until 'q' or Ctrl-C.")
  private Integer count;

  @Override
  public Integer call() throws IOException {
    if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
      throw usage("--interval must be 100ms to 1h, not " + interval.toMillis() + "ms");
    }
    if (count != null && count < 1) {
      throw usage("--count must be at least 1, not " + count);
    }
    List<Endpoint> endpoints = endpoints();
    int snapshots = once ? 1 : count == null ? Integer.MAX_VALUE : count;
    try {
      return show(endpoints, snapshots);
    } catch (InterruptedException e) {
      // Ctrl-C inside the shell: stop showing, and leave the interrupt for the shell to clear.
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private int show(List<Endpoint> endpoints, int snapshots) throws IOException, InterruptedException {
    try (MetricsScraper scraper = new MetricsScraper()) {
      Terminal screen = once || global.json() ? null : screenTerminal();
      if (screen == null) {
        PrintWriter out = global.out();
        run(scraper, endpoints, snapshots, false, report -> {
          out.println(global.json() ? report.json() : report.text());
          out.flush();
          return true;
        }, millis -> {
          Thread.sleep(millis);
          return false;
        });
        return 0;
      }
      try (FullScreen view = new FullScreen(screen)) {
        run(scraper, endpoints, snapshots, true, report -> {
          view.show(report.text());
          return true;
        }, view::waitForQuit);
      } finally {
        if (shellTerminal() == null) {
          screen.close();
        }
      }
      return 0;
    }
  }

  /** Shows a report; false to stop. */
  private interface Show {
    boolean show(TopReport report);
  }

  /** Waits {@code millis} for the next refresh; true to stop instead. */
  private interface Wait {
    boolean waitFor(long millis) throws IOException, InterruptedException;
  }

  /**
   * Scrapes every interval on a fixed schedule and shows a report after each scrape but the first (after the first
   * too when {@code showFirst}: a screen should not stay blank for a second), {@code snapshots} times at most.
   *
   * <p>Rates are taken over the scheduled time between two scrapes, not their measured time: a scrape starts within
   * a millisecond of its schedule, and a warm connection's latency is about the same for both, so this errs by less
   * than the jitter of measuring would, and the same counters always give the same rates.
   */
  private void run(MetricsScraper scraper, List<Endpoint> endpoints, int snapshots, boolean showFirst, Show show,
      Wait wait) throws IOException, InterruptedException {
    Duration timeout = interval.compareTo(MAX_SCRAPE_TIME) < 0 ? interval : MAX_SCRAPE_TIME;
    long intervalNanos = interval.toNanos();
    List<Scrape> earlier = scraper.scrapeAll(endpoints, timeout);
    // The schedule starts once the first answers are in: the first round also opens the connections (and, in a fresh
    // JVM, loads the HTTP client), and that time is no part of the interval the counters are compared over.
    long tick = System.nanoTime();
    int shown = 0;
    if (showFirst) {
      shown++;
      if (!show.show(report(endpoints, null, earlier, 0)) || shown >= snapshots) {
        return;
      }
    }
    while (shown < snapshots) {
      // The next tick on the schedule still ahead: one that a slow round overran is skipped, not crowded in.
      long elapsed = System.nanoTime() - tick;
      long ticks = Math.max(1, elapsed / intervalNanos + 1);
      long next = tick + ticks * intervalNanos;
      if (wait.waitFor(Math.max(0, (next - System.nanoTime()) / 1_000_000))) {
        return;
      }
      List<Scrape> now = scraper.scrapeAll(endpoints, timeout);
      shown++;
      if (!show.show(report(endpoints, earlier, now, (next - tick) / 1e9))) {
        return;
      }
      tick = next;
      earlier = now;
    }
  }

  private TopReport report(List<Endpoint> endpoints, List<Scrape> earlier, List<Scrape> now, double seconds) {
    List<BankView> banks = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint e = endpoints.get(i);
      banks.add(BankView.of(e.bank(), e.url().toString(), earlier == null ? null : earlier.get(i), now.get(i),
          seconds));
    }
    return TopReport.of(Clock.systemUTC().instant(), interval, banks);
  }

  private List<Endpoint> endpoints() {
    List<String> specs;
    try {
      if (metricsFile != null) {
        if (metrics != null) {
          throw usage("give --metrics or --metrics-file, not both");
        }
        specs = Endpoints.readFile(metricsFile);
      } else if (metrics != null) {
        specs = metrics;
      } else {
        String env = System.getenv("BANK_METRICS");
        specs = Arrays.asList((env == null || env.isBlank() ? Endpoints.MAKE_RUN : env).split(","));
      }
      return Endpoints.parse(specs);
    } catch (IOException | UncheckedIOException e) {
      throw usage("--metrics-file: cannot read " + metricsFile + " (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      throw usage((metricsFile != null ? "--metrics-file " : "--metrics ") + e.getMessage());
    }
  }

  /**
   * The terminal to draw on, or null to print plain snapshots: the shell's own terminal inside {@code bank-admin
   * shell}, else the process's when stdout is one. A dumb terminal (TERM=dumb, an editor's console) gets plain text.
   */
  private Terminal screenTerminal() throws IOException {
    Terminal shell = shellTerminal();
    if (shell != null) {
      return isDumb(shell) ? null : shell;
    }
    if (!StdoutTerminal.isTerminal()) {
      return null;
    }
    Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build();
    if (isDumb(terminal)) {
      terminal.close();
      return null;
    }
    return terminal;
  }

  private Terminal shellTerminal() {
    return spec.root().userObject() instanceof BankAdmin root ? root.shellTerminal() : null;
  }

  private static boolean isDumb(Terminal terminal) {
    return terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
