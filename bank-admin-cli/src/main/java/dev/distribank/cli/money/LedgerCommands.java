package dev.distribank.cli.money;

import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.Paging;
import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.Table;
import dev.distribank.cli.text.WireText;
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
public final class LedgerCommands {
  private LedgerCommands() {}

  /** {@code bank-admin balance}: what an account holds, and what of it is not on hold. */
  @Command(name = "balance", mixinStandardHelpOptions = true,
      description = "Balance and available balance (balance minus the holds of transactions in flight).")
  public static final class Balance implements Callable<Integer> {
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

  /** {@code bank-admin statement}: an account's ledger entries, a page at a time. */
  @Command(name = "statement", mixinStandardHelpOptions = true,
      description = {"An account's ledger entries in the consortium's global order, one page at a time.",
          "INITIATOR is who asked for the transaction (login@bank) and, for a debit a consent authorised, which one."})
  public static final class Statement implements Callable<Integer> {
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
            .right("BALANCE").left("INITIATOR");
        for (LedgerEntry e : response.getEntriesList()) {
          table.row(WireText.stamp(e.getTimestamp()), e.getTransactionId(), e.getCounterparty(),
              Money.format(e.getAmountCents()), Money.format(e.getBalanceCents()), initiator(e));
        }
        table.print(out, "no entries");
        paging.printNext(out, response.getNextPageToken());
      });
      return 0;
    }

    /**
     * Who asked for the entry's transaction, "caio@alpha", and for a debit a consent authorised, "caio@alpha (consent
     * 7)": the way a holder sees that a customer of another bank took money from the account, and under which consent.
     */
    private static String initiator(LedgerEntry e) {
      String who = e.getInitiator().isEmpty() ? "-" : e.getInitiator();
      return e.getConsentId() == 0 ? who : who + " (consent " + e.getConsentId() + ")";
    }
  }
}
