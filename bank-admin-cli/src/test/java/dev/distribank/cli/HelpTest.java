package dev.distribank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every command answers --help, says what it is for, and describes every option; no node is needed. */
class HelpTest {

  /** Every command's path below the root, e.g. ["account", "open"]. */
  static Stream<List<String>> commands() {
    List<List<String>> paths = new ArrayList<>();
    collect(BankAdmin.commandLine(), new ArrayList<>(), paths);
    return paths.stream();
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    into.add(List.copyOf(path));
    command.getSubcommands().forEach((name, sub) -> {
      path.add(name);
      collect(sub, path, into);
      path.removeLast();
    });
  }

  @ParameterizedTest(name = "{0} --help")
  @MethodSource("commands")
  void help_everyCommand_printsUsageAndExits0(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    Cli.Result r = Cli.raw(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r::toString);
    String usage = String.join(" ", "Usage: bank-admin", String.join(" ", path)).strip();
    // `help --help` puts its one-line description first; every other command starts with its usage.
    assertTrue(r.out().contains(usage), r::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyCommandAndOption_hasADescription(List<String> path) {
    CommandLine command = BankAdmin.commandLine();
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    String[] description = command.getCommandSpec().usageMessage().description();
    assertTrue(description.length > 0 && !description[0].isBlank(), "no description for " + path);
    for (OptionSpec option : command.getCommandSpec().options()) {
      assertFalse(option.description().length == 0 || option.description()[0].isBlank(),
          "no description for " + option.longestName() + " of " + path);
    }
  }

  @Test
  void rootHelp_listsExamplesAndExitCodes() {
    Cli.Result r = Cli.raw("--help");
    assertTrue(r.out().contains("Examples:"), r::toString);
    assertTrue(r.out().contains("export BANK_TOKEN=$(bank-admin login"), r::toString);
    assertTrue(r.out().contains("Exit codes: 0 ok; 1 refused or failed"), r::toString);
    assertTrue(r.out().contains("bank-admin --token \"$(cat data/admin-token)\" audit"), r::toString);
    assertTrue(r.out().contains(" cluster status"), r::toString);
    assertTrue(r.out().contains("bank-admin load --admin-token"), r::toString);
    assertTrue(r.out().contains("bank-admin consent grant --account "), r::toString);
  }

  @Test
  void globalOptions_listedOnEveryCommand() {
    for (List<String> path : commands().toList()) {
      CommandLine command = BankAdmin.commandLine();
      for (String name : path) {
        command = command.getSubcommands().get(name);
      }
      for (String option : List.of("--target", "--token", "--output", "--timeout-seconds")) {
        assertTrue(command.getCommandSpec().findOption(option) != null, option + " missing on " + path);
      }
    }
  }

  @Test
  void rootHelp_listsTheConsentCommands() {
    Cli.Result r = Cli.raw("--help");
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+consent\\s+Grant, list and revoke consents.*")),
        r::toString);
    Cli.Result consent = Cli.raw("consent", "--help");
    for (String sub : List.of("grant", "list", "revoke")) {
      assertTrue(consent.out().lines().anyMatch(l -> l.matches("\\s+" + sub + "\\s+\\S.*")), consent::toString);
    }
    Cli.Result grant = Cli.raw("consent", "grant", "--help");
    assertTrue(grant.out().contains("--expires=WHEN"), grant::toString);
    assertTrue(grant.out().contains("--to=BANK:LOGIN"), grant::toString);
  }

  @Test
  void helpSubcommand_and_version_exit0() {
    Cli.Result help = Cli.raw("help", "transfer");
    assertEquals(0, help.exitCode(), help::toString);
    assertTrue(help.out().contains("--leg=FROM,TO,AMOUNT"), help::toString);
    Cli.Result version = Cli.raw("--version");
    assertEquals(0, version.exitCode(), version::toString);
    assertTrue(version.out().startsWith("bank-admin "), version::toString);
  }

  @Test
  void mistypedCommand_suggestsTheRightOne() {
    Cli.Result r = Cli.raw("depost");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("Did you mean: bank-admin deposit"), r::toString);
  }
}
