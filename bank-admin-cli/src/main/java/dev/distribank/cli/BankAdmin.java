package dev.distribank.cli;

import dev.distribank.cli.audit.AuditCommand;
import dev.distribank.cli.consent.ConsentCommands;
import dev.distribank.cli.customer.AccountCommands;
import dev.distribank.cli.customer.CustomerCommands;
import dev.distribank.cli.customer.PixCommands;
import dev.distribank.cli.customer.SessionCommands;
import dev.distribank.cli.load.LoadCommand;
import dev.distribank.cli.money.LedgerCommands;
import dev.distribank.cli.money.MoneyCommands;
import dev.distribank.cli.operator.AdminCommands;
import dev.distribank.cli.operator.ClusterCommands;
import dev.distribank.cli.operator.HealthCommand;
import dev.distribank.cli.pki.PkiCommands;
import dev.distribank.cli.shell.ShellCommand;
import dev.distribank.cli.top.TopCommand;
import org.jline.terminal.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/**
 * {@code bank-admin}: every customer and operator action on a DistriBank bank node, from a terminal or a script.
 *
 * <p>Exit codes: 0 when the command did what was asked, 1 when the bank refused it or the call failed (the reason on
 * stderr), 2 when the command line itself was wrong. {@link #main} is the only place that exits the JVM; tests run
 * {@link #commandLine()} in-process.
 */
@Command(name = "bank-admin", mixinStandardHelpOptions = true, versionProvider = BankAdmin.Version.class,
    description = {"Operate a DistriBank bank node from a terminal or a script.",
        "Customers, accounts, PIX keys, consents, money movement, statements and the operator's views.",
        "Amounts are reais with a decimal dot (12.34); accounts are written bank:number (alpha:1001)."},
    subcommands = {
        HelpCommand.class,
        CustomerCommands.class,
        SessionCommands.Login.class,
        SessionCommands.Logout.class,
        AccountCommands.class,
        PixCommands.class,
        ConsentCommands.class,
        MoneyCommands.Deposit.class,
        MoneyCommands.Withdraw.class,
        MoneyCommands.Transfer.class,
        LedgerCommands.Balance.class,
        LedgerCommands.Statement.class,
        AdminCommands.class,
        AuditCommand.class,
        ClusterCommands.class,
        LoadCommand.class,
        HealthCommand.class,
        TopCommand.class,
        ShellCommand.class,
        PkiCommands.class},
    footerHeading = "%nEnvironment:%n",
    footer = {
        "  BANK_TARGET  the node to call, HOST:PORT (default 127.0.0.1:7001)",
        "  BANK_TOKEN   the bearer token to send",
        "  BANK_CA_CERT the CA to trust for TLS (the consortium's ca.pem); BANK_TLS=true for the system's CAs",
        "",
        "Examples:",
        "  bank-admin pki init --banks alpha,beta,gamma,delta --out data/pki",
        "  export BANK_CA_CERT=data/pki/ca.pem",
        "  bank-admin health",
        "  bank-admin customer create --name 'Ana Souza' --cpf 529.982.247-25 \\",
        "      --login ana --password",
        "  export BANK_TOKEN=$(bank-admin login --login ana --password)",
        "  bank-admin account open --kind individual",
        "  bank-admin deposit --account alpha:1001 --amount 100.00",
        "  bank-admin pix add --account alpha:1001 --type email --value ana@example.com",
        "  bank-admin consent grant --account alpha:1001 --to beta:bia --limit 500.00",
        "  bank-admin transfer --leg alpha:1001,beta:pix:bia@example.com,12.34",
        "  bank-admin balance --account alpha:1001",
        "  bank-admin statement --account alpha:1001 --limit 20 --output json",
        "  BANK_TOKEN=<admin token> bank-admin admin operations --limit 20",
        "  bank-admin --token \"$(cat data/admin-token)\" audit",
        "  bank-admin --target 127.0.0.1:7002 --token <admin token> cluster status",
        "  bank-admin load --admin-token \"$(cat data/admin-token)\" --duration 30s",
        "  bank-admin top                    (every bank live, from the nodes' --metrics-listen)",
        "  bank-admin shell                  (the same commands without 'bank-admin', logged in once)",
        "",
        "--target, --token, --tls, --ca-cert, --output and --timeout-seconds go before or after the command name.",
        "",
        "Exit codes: 0 ok; 1 refused or failed (reason on stderr); 2 usage error.",
        "Every command takes --help; 'bank-admin help COMMAND' says the same."})
public final class BankAdmin {
  // Declared here once with scope INHERIT, so they are accepted before the subcommand and after it alike.
  @Mixin
  private GlobalOptions.Values globalOptions;

  /** The terminal of the {@code bank-admin shell} this command line runs in, or null outside a shell. */
  private final Terminal shellTerminal;

  private BankAdmin(Terminal shellTerminal) {
    this.shellTerminal = shellTerminal;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line, ready to execute: usage errors reported by {@link UsageReport}, failures by
   * {@link FailureReport}, enum values ({@code --kind}, {@code --type}, {@code --output}) accepted in any case.
   */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command line as {@code bank-admin shell} runs each of its lines: {@code top} draws on the shell's terminal,
   * and hints name the shell's commands rather than the process's environment.
   */
  public static CommandLine commandLine(Terminal shellTerminal) {
    return new CommandLine(new BankAdmin(shellTerminal))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(new UsageReport())
        .setExecutionExceptionHandler(new FailureReport());
  }

  /** The terminal of the shell this command line runs in, or null when it runs on its own. */
  public Terminal shellTerminal() {
    return shellTerminal;
  }

  /** The version recorded in the jar's manifest, when run from one. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BankAdmin.class.getPackage().getImplementationVersion();
      return new String[] {"bank-admin " + (version == null ? "(development build)" : version)};
    }
  }
}
