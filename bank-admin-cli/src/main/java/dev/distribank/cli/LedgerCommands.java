package dev.distribank.cli;

import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetBalanceResponse;
import dev.distribank.proto.bank.v1.GetStatementRequest;
import dev.distribank.proto.bank.v1.GetStatementResponse;
import dev.distribank.proto.bank.v1.LedgerEntry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bank-admin balance|statement}: reading what an account holds and what happened to it. */
final class LedgerCommands {
  private LedgerCommands() {}

  @Command(name = "balance", mixinStandardHelpOptions = true,
      description = "Balance and available balance (balance minus the holds of transactions in flight).")
  static final class Balance implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "e.g. alpha:1001.")
    private String account;

    @Override
    public Integer call() {
      GetBalanceResponse response =
          global.call(bank -> bank.bank().getBalance(GetBalanceRequest.newBuilder().setAccount(account).build()));
      global.print(response, out -> out.println(response.getAccount()
          + "  balance " + Money.format(response.getBalanceCents())
          + "  available " + Money.format(response.getAvailableCents())));
      return 0;
    }
  }

  @Command(name = "statement", mixinStandardHelpOptions = true,
      description = "An account's ledger entries in the consortium's global order, one page at a time.")
  static final class Statement implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Mixin
    private Paging paging;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "e.g. alpha:1001.")
    private String account;

    @Override
    public Integer call() {
      var request = GetStatementRequest.newBuilder().setAccount(account).setPageSize(paging.pageSize())
          .setPageToken(paging.pageToken());
      GetStatementResponse response = global.call(bank -> bank.bank().getStatement(request.build()));
      global.print(response, out -> {
        Table table = new Table().left("TIMESTAMP").left("TRANSACTION").left("COUNTERPARTY").right("AMOUNT")
            .right("BALANCE");
        for (LedgerEntry e : response.getEntriesList()) {
          table.row(WireText.stamp(e.getTimestamp()), e.getTransactionId(), e.getCounterparty(),
              Money.format(e.getAmountCents()), Money.format(e.getBalanceCents()));
        }
        table.print(out, "no entries");
        paging.printNext(out, response.getNextPageToken());
      });
      return 0;
    }
  }
}
