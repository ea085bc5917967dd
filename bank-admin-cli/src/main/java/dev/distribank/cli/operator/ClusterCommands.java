package dev.distribank.cli.operator;

import com.google.protobuf.Timestamp;
import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.text.Table;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusResponse;
import dev.distribank.proto.bank.v1.PeerStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bank-admin cluster ...}: the consortium as one bank sees it. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = {"The consortium as one bank sees it.",
        "These commands send the node's admin token (--token or BANK_TOKEN)."},
    subcommands = ClusterCommands.Status.class)
public final class ClusterCommands {

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Every bank of the consortium as the node at --target sees it: peer address, health (UP, DOWN or"
          + " UNKNOWN) and since when, whether its protocol stream is linked, and how many of its protocol messages"
          + " the answering bank refused as contradicting what it knows (an honest bank causes none). The"
          + " answering bank is marked with *."})
  static final class Status implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
      GetClusterStatusResponse response =
          global.call(bank -> bank.admin().getClusterStatus(GetClusterStatusRequest.getDefaultInstance()));
      Instant now = Clock.systemUTC().instant();
      global.print(response, out -> {
        Table table = new Table().left("BANK").left("ADDRESS").left("STATE").left("SINCE").left("LINKED")
            .right("REFUSED");
        for (PeerStatus b : response.getBanksList()) {
          table.row((b.getSelf() ? "* " : "  ") + b.getBank(), b.getAddress(), state(b), since(b, now),
              b.getLinked() ? "yes" : "no", Long.toString(b.getRefusedMessages()));
        }
        table.print(out);
        out.println("* answered by " + response.getBank());
      });
      return 0;
    }

    /** UP, DOWN or UNKNOWN; a value added to the contract later prints as its number. */
    private static String state(PeerStatus b) {
      return WireText.label(b.getState()).toUpperCase(java.util.Locale.ROOT);
    }

    /** "2024-05-01T12:00:00Z (for 12s)", or "-" when the bank did not say. */
    private static String since(PeerStatus b, Instant now) {
      if (!b.hasSince()) {
        return "-";
      }
      Timestamp t = b.getSince();
      Instant since = Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).truncatedTo(ChronoUnit.SECONDS);
      return since + " (for " + elapsed(Duration.between(since, now)) + ")";
    }
  }

  /** A duration as people read it: "12s", "3m05s", "2h03m", "4d02h"; "0s" for a clock that runs behind. */
  public static String elapsed(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
  }
}
