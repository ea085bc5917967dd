package dev.distribank.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.distribank.cli.Cli;
import dev.distribank.node.testing.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bank-admin load} against three real linked nodes: it runs, reports, audits, checks the ledgers, exits 0. */
class LoadCommandTest {
  private static final List<String> BANKS = List.of("alpha", "beta", "gamma");

  @TempDir
  static Path dataDir;

  private static LocalCluster cluster;
  private static String targets;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = new LocalCluster(dataDir, BANKS);
    targets = BANKS.stream().map(b -> b + "=" + cluster.at(b).channel().authority())
        .collect(Collectors.joining(","));
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    cluster.close();
  }

  @Test
  void load_text_reportsThroughputPercentilesAuditAndLedgerCheck() {
    Cli.Result r = Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets", targets, "--admin-token",
        Cli.ADMIN_TOKEN, "--transactions", "300",
        "--clients", "4", "--accounts-per-bank", "4", "--seed", "11");
    assertEquals(0, r.exitCode(), r::toString);
    String out = r.out();
    assertTrue(out.startsWith("load: 300 transactions from 4 clients against alpha, beta, gamma in "), out);
    // 4 accounts at each of 3 banks, each with a consent to the load login at the 2 other banks.
    assertTrue(out.contains("setup: 12 accounts (12 opened), 24 consents granted, "), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("throughput: \\d+\\.\\d committed tx/s \\(\\d+ committed, .*")),
        out);
    assertTrue(out.lines().anyMatch(l -> l.matches("latency of committed transactions: p50 \\S+ ms p90 \\S+ ms"
        + " p99 \\S+ ms p999 \\S+ ms max \\S+ ms")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  COMMITTED\\s+\\d+\\s+\\d+\\.\\d%")), out);
    // The run's CPU, sampled from each bank's GetClusterStatus and from the load generator itself.
    assertTrue(out.lines().anyMatch(l -> l.matches("cpu per committed transaction: banks \\d+ µs \\(alpha \\d+, beta"
        + " \\d+, gamma \\d+\\), load generator \\d+ µs")), out);
    assertTrue(out.contains("I1 conservation: OK (total "), out);
    assertTrue(out.contains("I2 no negative balance: OK"), out);
    assertTrue(out.contains("bilateral flows: OK (3 pairs agree)"), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("ledger check: OK (")), out);
    assertTrue(out.strip().endsWith("result: PASSED"), out);
  }

  @Test
  void load_json_parsesAndShowsCommittedAndLedgerCheckPassed() throws Exception {
    // The same seed twice: the second run reuses the customer and accounts of the first.
    String[] args = {"load", "--ca-cert", Cli.caCert(cluster), "--targets", targets, "--transactions", "200",
        "--clients", "4", "--accounts-per-bank",
        "3", "--seed", "23", "--cross-bank-ratio", "0.8", "--multi-leg-ratio", "0.5", "--overdraft-ratio", "0.1",
        "--token", Cli.ADMIN_TOKEN, "--output", "json"};
    Struct first = report(Cli.raw(args));
    Struct second = report(Cli.raw(args));
    for (Struct report : List.of(first, second)) {
      assertTrue(number(report, "committed") > 0, report::toString);
      assertEquals(200, number(report, "finished"), report::toString);
      assertTrue(number(report, "throughputPerSecond") > 0, report::toString);
      assertTrue(report.getFieldsOrThrow("passed").getBoolValue(), report::toString);
      Struct ledger = report.getFieldsOrThrow("ledgerCheck").getStructValue();
      assertTrue(ledger.getFieldsOrThrow("passed").getBoolValue(), ledger::toString);
      assertEquals(number(report, "committed"), number(ledger, "acknowledged"), report::toString);
      assertEquals(number(ledger, "acknowledged"), number(ledger, "verified"), ledger::toString);
      Struct latency = report.getFieldsOrThrow("latency").getStructValue();
      assertTrue(number(latency, "p99Ms") <= number(latency, "maxMs"), latency::toString);
      Struct cpu = report.getFieldsOrThrow("cpu").getStructValue();
      assertEquals(BANKS.size(), number(cpu, "banksCounted"), cpu::toString);
      assertTrue(number(cpu, "banksSeconds") > 0 && number(cpu, "loadSeconds") > 0, cpu::toString);
      assertTrue(number(cpu, "banksMicrosPerCommitted") > 0, cpu::toString);
      assertEquals(BANKS.size(), cpu.getFieldsOrThrow("bankSeconds").getStructValue().getFieldsCount(), cpu::toString);
      // Overdrafts ask for more than exists: refused for that reason, never committed.
      assertTrue(report.getFieldsOrThrow("outcomes").getStructValue().containsFields("INSUFFICIENT_FUNDS"),
          report::toString);
      Struct audit = report.getFieldsOrThrow("audit").getStructValue();
      assertTrue(audit.getFieldsOrThrow("conservation").getBoolValue(), audit::toString);
      assertTrue(audit.getFieldsOrThrow("noNegativeBalance").getBoolValue(), audit::toString);
      assertTrue(audit.getFieldsOrThrow("bilateral").getBoolValue(), audit::toString);
      assertEquals(0, audit.getFieldsOrThrow("disagreeingPairs").getListValue().getValuesCount(), audit::toString);
      assertEquals(number(audit, "depositsCents") - number(audit, "withdrawalsCents"),
          number(audit, "totalBalanceCents"), audit::toString);
      assertEquals(BANKS.size(), audit.getFieldsOrThrow("banks").getListValue().getValuesCount(), audit::toString);
      // Committed per second of the run: they add up to the total, and line up with a wall-clock start.
      double timelineSum = report.getFieldsOrThrow("timeline").getListValue().getValuesList().stream()
          .mapToDouble(Value::getNumberValue).sum();
      assertEquals(number(report, "committed"), timelineSum, report::toString);
      assertTrue(number(report, "startedAtEpochMillis") > 1.6e12, report::toString);
    }
    Struct setup = second.getFieldsOrThrow("setup").getStructValue();
    assertEquals(0, number(setup, "openedAccounts"), setup::toString);
    assertEquals(9, number(setup, "accounts"), setup::toString);
    // Granted again on the rerun, each grant replacing the first run's: 3 banks x 3 accounts x 2 other banks.
    assertEquals(18, number(setup, "grantedConsents"), setup::toString);
  }

  @Test
  void load_warmUp_isNotMeasured_butItsTransfersAreChecked() throws Exception {
    Struct report = report(Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets", targets, "--admin-token",
        Cli.ADMIN_TOKEN, "--warm-up", "1s", "--transactions", "50", "--clients", "2", "--accounts-per-bank", "3",
        "--seed", "41", "--overdraft-ratio", "0", "--output", "json"));

    assertTrue(report.getFieldsOrThrow("passed").getBoolValue(), report::toString);
    assertEquals(1, number(report.getFieldsOrThrow("config").getStructValue(), "warmUpSeconds"), report::toString);
    assertEquals(50, number(report, "finished"), "the run alone is counted: " + report);
    Struct ledger = report.getFieldsOrThrow("ledgerCheck").getStructValue();
    assertTrue(number(ledger, "acknowledged") > number(report, "committed"),
        "the warm-up's transfers are in the ledger check: " + ledger);
    assertEquals(number(ledger, "acknowledged"), number(ledger, "verified"), ledger::toString);
  }

  @Test
  void load_negativeWarmUp_usageError() {
    Cli.Result r = Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets", targets, "--admin-token",
        Cli.ADMIN_TOKEN, "--warm-up", "-1s");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("--warm-up"), r::toString);
  }

  @Test
  void load_batched_countsTransfersAndPassesItsChecks() throws Exception {
    Struct report = report(Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets", targets, "--admin-token",
        Cli.ADMIN_TOKEN, "--transactions", "1010", "--batch-size", "100", "--clients", "3", "--accounts-per-bank",
        "10", "--seed", "37", "--cross-bank-ratio", "0.7", "--multi-leg-ratio", "0.3", "--overdraft-ratio", "0.05",
        "--output", "json"));

    assertTrue(report.getFieldsOrThrow("passed").getBoolValue(), report::toString);
    assertEquals(100, number(report.getFieldsOrThrow("config").getStructValue(), "batchSize"), report::toString);
    // 1,010 transfers, in ten batches of 100 and one of the 10 left: each counted, not each call.
    assertEquals(1010, number(report, "finished"), report::toString);
    // A batch's transfers are in flight together, holding funds, so more of them overdraw than one at a time would.
    assertTrue(number(report, "committed") > 500, report::toString);
    assertEquals(number(report, "finished"), number(report, "committed") + number(report, "refused"),
        report::toString);
    Struct outcomes = report.getFieldsOrThrow("outcomes").getStructValue();
    assertEquals(number(report, "committed"), number(outcomes, "COMMITTED"), report::toString);
    assertTrue(outcomes.containsFields("INSUFFICIENT_FUNDS"), report::toString);
    Struct ledger = report.getFieldsOrThrow("ledgerCheck").getStructValue();
    assertEquals(number(report, "committed"), number(ledger, "acknowledged"), ledger::toString);
    assertEquals(number(ledger, "acknowledged"), number(ledger, "verified"), ledger::toString);
  }

  @Test
  void load_openLoop_offeredRateIsAchieved_latencyCorrected_checksPass() throws Exception {
    // Two of the three banks, 50 transfers a second for 2 s: 100 calls on a fixed schedule.
    String twoBanks = Stream.of("alpha", "beta").map(b -> b + "=" + cluster.at(b).channel().authority())
        .collect(Collectors.joining(","));
    Struct report = report(Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets", twoBanks, "--admin-token",
        Cli.ADMIN_TOKEN, "--rate", "50", "--duration", "2s", "--accounts-per-bank", "4", "--seed", "43",
        "--output", "json"));

    assertTrue(report.getFieldsOrThrow("passed").getBoolValue(), report::toString);
    Struct config = report.getFieldsOrThrow("config").getStructValue();
    assertEquals(50, number(config, "ratePerSecond"), config::toString);
    assertEquals(64, number(config, "clients"), "the open loop's default cap on calls in flight: " + config);
    Struct openLoop = report.getFieldsOrThrow("openLoop").getStructValue();
    assertEquals(50, number(openLoop, "offeredPerSecond"), openLoop::toString);
    assertEquals(100, number(openLoop, "scheduled"), openLoop::toString);
    assertEquals(100, number(openLoop, "sent"), openLoop::toString);
    assertEquals(100, number(openLoop, "answered"), openLoop::toString);
    assertEquals(0, number(openLoop, "shed"), openLoop::toString);
    // 100 calls answered in the 2 s of the schedule plus the last answer's latency.
    double achieved = number(openLoop, "achievedPerSecond");
    assertTrue(achieved >= 40 && achieved <= 51, openLoop::toString);
    assertEquals(100, number(report, "finished"), report::toString);
    Struct latency = report.getFieldsOrThrow("latency").getStructValue();
    assertTrue(latency.getFieldsOrThrow("correctedForCoordinatedOmission").getBoolValue(), latency::toString);
    assertTrue(number(latency, "p50Ms") <= number(latency, "p99Ms"), latency::toString);
    assertTrue(number(latency, "p99Ms") <= number(latency, "p999Ms"), latency::toString);
    assertEquals(number(report, "committed"), number(latency, "count"), report::toString);
    Struct ledger = report.getFieldsOrThrow("ledgerCheck").getStructValue();
    assertEquals(number(report, "committed"), number(ledger, "verified"), ledger::toString);
    assertTrue(report.getFieldsOrThrow("audit").getStructValue().getFieldsOrThrow("bilateral").getBoolValue(),
        report::toString);
  }

  @Test
  void load_openLoopBatches_textSaysOpenLoopAndCorrected() {
    Cli.Result r = Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets", targets, "--admin-token",
        Cli.ADMIN_TOKEN, "--rate", "10", "--batch-size", "20", "--clients", "4", "--duration", "1s",
        "--accounts-per-bank", "4", "--seed", "47");
    assertEquals(0, r.exitCode(), r::toString);
    String out = r.out();
    assertTrue(out.startsWith("load: 200 transactions in batches of 20, open loop at most 4 in flight, against alpha,"
        + " beta, gamma in "), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("open loop: offered 10 batches/s, achieved \\d+\\.\\d batches/s;"
        + " 10 batches scheduled, 10 sent, \\d+ late \\(sent 1 ms or more behind schedule\\), \\d+ waited for a"
        + " free client, 0 shed \\(.*\\)")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("latency of committed transactions from each call's scheduled time"
        + " \\(corrected for coordinated omission\\): p50 \\S+ ms p90 \\S+ ms p99 \\S+ ms p999 \\S+ ms max \\S+ ms")),
        out);
    assertTrue(out.strip().endsWith("result: PASSED"), out);
  }

  @Test
  void load_unknownBankInTargets_usageError() {
    Cli.Result r = Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets",
        targets + ",omega=" + cluster.at("alpha").channel().authority(),
        "--admin-token", Cli.ADMIN_TOKEN, "--transactions", "1");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("[omega], not in the consortium"), r::toString);
  }

  @Test
  void load_targetNamedAsAnotherBank_usageError() {
    Cli.Result r = Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets",
        "alpha=" + cluster.at("beta").channel().authority() + ",beta="
        + cluster.at("alpha").channel().authority(), "--admin-token", Cli.ADMIN_TOKEN, "--transactions", "1",
        "--seed", "31");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("--targets names alpha, but that address is bank beta"), r::toString);
  }

  @Test
  void load_wrongAdminToken_exit1BeforeAnything() {
    Cli.Result r = Cli.raw("load", "--ca-cert", Cli.caCert(cluster), "--targets", targets, "--admin-token", "wrong",
        "--transactions", "1");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("UNAUTHENTICATED"), r::toString);
  }

  private static Struct report(Cli.Result r) throws Exception {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(1, r.out().lines().count(), "one JSON object on one line: " + r.out());
    Struct.Builder report = Struct.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(r.out(), report);
    return report.build();
  }

  private static double number(Struct s, String field) {
    Value v = s.getFieldsOrThrow(field);
    assertEquals(Value.KindCase.NUMBER_VALUE, v.getKindCase(), field + " in " + s);
    return v.getNumberValue();
  }
}
