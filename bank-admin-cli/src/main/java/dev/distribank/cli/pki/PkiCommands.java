package dev.distribank.cli.pki;

import dev.distribank.pki.Consortium;
import dev.distribank.pki.Issued;
import dev.distribank.pki.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bank-admin pki ...}: the consortium's certificates, made and managed offline (no node is called). */
@Command(name = "pki", mixinStandardHelpOptions = true,
    description = {"The consortium's certificates: a CA, and one certificate per bank naming it.",
        "Banks prove who they are to each other with these (mutual TLS), and clients check them.",
        "Nothing here calls a node: the files are read by the nodes (--pki-dir) and re-read when they change."},
    subcommands = {PkiCommands.Init.class, PkiCommands.Issue.class, PkiCommands.Revoke.class})
public final class PkiCommands {
  private static final String HOSTS_HELP = "An extra host name or IP the certificates answer to, for every bank "
      + "(HOST) or one (BANK=HOST); repeatable. Every bank's certificate already names its id, localhost, "
      + "127.0.0.1 and ::1.";

  /** The options naming extra hosts: {@code HOST} for every bank, {@code BANK=HOST} for one. */
  static Map<String, List<String>> hosts(List<String> given, List<String> banks, CommandSpec spec) {
    var out = new LinkedHashMap<String, List<String>>();
    for (String entry : given) {
      int eq = entry.indexOf('=');
      String bank = eq < 0 ? "" : entry.substring(0, eq).strip();
      String host = entry.substring(eq + 1).strip();
      if (host.isEmpty() || !host.matches("[A-Za-z0-9.:*-]+")) {
        throw new ParameterException(spec.commandLine(), "--host '" + entry + "' must be HOST or BANK=HOST");
      }
      if (!bank.isEmpty() && !banks.contains(bank)) {
        throw new ParameterException(spec.commandLine(), "--host " + entry + " names bank '" + bank
            + "', which is not among " + banks);
      }
      out.computeIfAbsent(bank, b -> new ArrayList<>()).add(host);
    }
    return out;
  }

  /** What a new bank certificate carries besides the bank's id: extra host names, and how long it is valid. */
  static final class Validity {
    @Option(names = "--host", paramLabel = "[BANK=]HOST", description = HOSTS_HELP)
    List<String> hosts = new ArrayList<>();

    @Option(names = "--days", defaultValue = "365", paramLabel = "DAYS",
        description = "How long a bank certificate is valid (a new CA twice as long). Default: ${DEFAULT-VALUE}.")
    int days;

    Duration validity(CommandSpec spec) {
      if (days < 1) {
        throw new ParameterException(spec.commandLine(), "--days must be at least 1");
      }
      return Duration.ofDays(days);
    }
  }

  static void printIssued(PrintWriter out, Path dir, String bank, Issued issued) {
    var c = issued.certificate();
    out.printf("%-10s %s  (%s.key)  serial %s  valid until %s%n", bank, dir.resolve(bank + ".pem"), bank,
        c.getSerialNumber().toString(16), c.getNotAfter().toInstant());
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Makes a new consortium CA and one key pair and certificate per bank in --out:",
          "  ca.pem  (everyone trusts it)   ca.key  (keep it offline)   ca.crl  (revocations)",
          "  <bank>.pem, <bank>.key  (give each bank only its own key)",
          "Refuses a directory that already holds a CA, so it never replaces keys in use."},
      footer = {"%nExample:%n  bank-admin pki init --banks alpha,beta,gamma,delta --out data/pki",
          "  bank-admin pki init --banks alpha,beta --out pki --host alpha=alpha.bank.example --host 10.0.0.7"})
  static final class Init implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--banks", required = true, split = ",", paramLabel = "BANK",
        description = "The consortium's bank ids, comma-separated.")
    private List<String> banks;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
    private Path out;

    @Mixin
    private Validity validity;

    @Override
    public Integer call() throws IOException {
      Duration valid = validity.validity(spec);
      List<String> ids = banks.stream().map(String::strip).toList();
      if (ids.stream().distinct().count() != ids.size()) {
        throw new ParameterException(spec.commandLine(), "--banks lists a bank twice: " + ids);
      }
      try {
        Consortium.init(out, ids, hosts(validity.hosts, ids, spec), valid);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--banks: " + e.getMessage());
      }
      PrintWriter w = spec.commandLine().getOut();
      w.println("CA         " + out.resolve("ca.pem") + "  (key " + out.resolve("ca.key") + ": keep it offline)");
      for (String bank : ids) {
        printIssued(w, out, bank, new Issued(Pem.certificate(out.resolve(bank + ".pem")), null));
      }
      w.flush();
      return 0;
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = {"Gives one bank a fresh key pair and certificate from the CA in --dir, replacing its files.",
          "A node re-reads its files within --tls-reload-seconds: rotation needs no restart."},
      footer = {"%nExample:%n  bank-admin pki issue --dir data/pki --bank beta"})
  static final class Issue implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The directory `pki init` wrote.")
    private Path dir;

    @Option(names = "--bank", required = true, paramLabel = "BANK", description = "The bank to issue for.")
    private String bank;

    @Mixin
    private Validity validity;

    @Override
    public Integer call() throws IOException {
      Duration valid = validity.validity(spec);
      Issued issued;
      try {
        issued = Consortium.issue(dir, bank, hosts(validity.hosts, List.of(bank), spec), valid);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--bank: " + e.getMessage());
      }
      PrintWriter w = spec.commandLine().getOut();
      printIssued(w, dir, bank, issued);
      w.flush();
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revokes the certificate a bank holds now: adds it to ca.crl in --dir. Every node re-reads the",
          "CRL within --tls-reload-seconds and refuses new connections made with it; issue the bank a new one."},
      footer = {"%nExample:%n  bank-admin pki revoke --dir data/pki --bank gamma"})
  static final class Revoke implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The directory `pki init` wrote.")
    private Path dir;

    @Option(names = "--bank", required = true, paramLabel = "BANK", description = "The bank whose certificate goes.")
    private String bank;

    @Override
    public Integer call() throws IOException {
      var serial = Consortium.revoke(dir, bank);
      PrintWriter w = spec.commandLine().getOut();
      w.println("revoked " + bank + "'s certificate, serial " + serial.toString(16) + " (" + dir.resolve("ca.crl")
          + ")");
      w.flush();
      return 0;
    }
  }
}
