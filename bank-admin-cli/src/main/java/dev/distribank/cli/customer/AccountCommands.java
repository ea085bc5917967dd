package dev.distribank.cli.customer;

import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.Table;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.Account;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.AddEmployeeRequest;
import dev.distribank.proto.bank.v1.AddEmployeeResponse;
import dev.distribank.proto.bank.v1.AddHolderRequest;
import dev.distribank.proto.bank.v1.AddHolderResponse;
import dev.distribank.proto.bank.v1.GetAccountRequest;
import dev.distribank.proto.bank.v1.GetAccountResponse;
import dev.distribank.proto.bank.v1.ListAccountsRequest;
import dev.distribank.proto.bank.v1.ListAccountsResponse;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.OpenAccountResponse;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bank-admin account ...}: opening accounts, reading them, and adding the people who may operate them. */
@Command(name = "account", mixinStandardHelpOptions = true,
    description = "Open, show and list the caller's accounts; add holders and employees.",
    subcommands = {AccountCommands.Open.class, AccountCommands.Show.class, AccountCommands.ListAll.class,
        AccountCommands.AddHolder.class, AccountCommands.AddEmployee.class})
public final class AccountCommands {

  /** The account kinds a user types, lower-case on the command line. */
  enum Kind {
    INDIVIDUAL(AccountKind.ACCOUNT_KIND_INDIVIDUAL),
    JOINT(AccountKind.ACCOUNT_KIND_JOINT),
    BUSINESS(AccountKind.ACCOUNT_KIND_BUSINESS);

    final AccountKind wire;

    Kind(AccountKind wire) {
      this.wire = wire;
    }
  }

  /** The account as labelled lines: id, kind, holders, employees, balance, available. */
  static void print(PrintWriter out, Account a) {
    out.println("account    " + a.getAccount());
    out.println("kind       " + WireText.label(a.getKind()));
    out.println("holders    " + WireText.list(a.getHoldersList()));
    if (a.getKind() == AccountKind.ACCOUNT_KIND_BUSINESS || a.getEmployeesCount() > 0) {
      out.println("employees  " + WireText.list(a.getEmployeesList()));
    }
    out.println("balance    " + Money.format(a.getBalanceCents()));
    out.println("available  " + Money.format(a.getAvailableCents()));
  }

  @Command(name = "open", mixinStandardHelpOptions = true,
      description = "Open an account held by the caller (the primary holder, or the company).")
  static final class Open implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
        description = "individual (one holder), joint (several holders) or business (a company's).")
    private Kind kind;

    @Override
    public Integer call() {
      OpenAccountResponse response =
          global.call(bank -> bank.bank().openAccount(OpenAccountRequest.newBuilder().setKind(kind.wire).build()));
      global.print(response, out -> out.println("opened " + response.getAccount().getAccount() + " ("
          + WireText.label(response.getAccount().getKind()) + ")"));
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show one of the caller's accounts: holders, employees and balances.")
  static final class Show implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "e.g. alpha:1001.")
    private String account;

    @Override
    public Integer call() {
      GetAccountResponse response =
          global.call(bank -> bank.bank().getAccount(GetAccountRequest.newBuilder().setAccount(account).build()));
      global.print(response, out -> print(out, response.getAccount()));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the accounts the caller holds or works for.")
  static final class ListAll implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
      ListAccountsResponse response =
          global.call(bank -> bank.bank().listAccounts(ListAccountsRequest.getDefaultInstance()));
      global.print(response, out -> {
        Table table = new Table().left("ACCOUNT").left("KIND").right("BALANCE").right("AVAILABLE").left("HOLDERS");
        for (Account a : response.getAccountsList()) {
          table.row(a.getAccount(), WireText.label(a.getKind()), Money.format(a.getBalanceCents()),
              Money.format(a.getAvailableCents()), WireText.list(a.getHoldersList()));
        }
        table.print(out, "no accounts; open one with: bank-admin account open --kind individual");
      });
      return 0;
    }
  }

  @Command(name = "add-holder", mixinStandardHelpOptions = true,
      description = "Add an individual customer as a holder of a joint account (the primary holder only).")
  static final class AddHolder implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "The joint account.")
    private String account;

    @Option(names = "--login", required = true, paramLabel = "LOGIN",
        description = "The login of the new holder, an individual customer of the same bank.")
    private String login;

    @Override
    public Integer call() {
      AddHolderResponse response = global.call(
          bank -> bank.bank().addHolder(AddHolderRequest.newBuilder().setAccount(account).setLogin(login).build()));
      global.print(response, out -> print(out, response.getAccount()));
      return 0;
    }
  }

  @Command(name = "add-employee", mixinStandardHelpOptions = true,
      description = "Let an individual customer operate a business account (the company's login only).")
  static final class AddEmployee implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "The business account.")
    private String account;

    @Option(names = "--login", required = true, paramLabel = "LOGIN",
        description = "The login of the employee, an individual customer of the same bank.")
    private String login;

    @Override
    public Integer call() {
      AddEmployeeResponse response = global.call(
          bank -> bank.bank().addEmployee(AddEmployeeRequest.newBuilder().setAccount(account).setLogin(login).build()));
      global.print(response, out -> print(out, response.getAccount()));
      return 0;
    }
  }
}
