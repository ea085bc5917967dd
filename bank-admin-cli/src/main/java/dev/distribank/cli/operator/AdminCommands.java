package dev.distribank.cli.operator;

import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.Paging;
import dev.distribank.cli.text.Table;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.Customer;
import dev.distribank.proto.bank.v1.ListCustomersRequest;
import dev.distribank.proto.bank.v1.ListCustomersResponse;
import dev.distribank.proto.bank.v1.ListOperationsRequest;
import dev.distribank.proto.bank.v1.ListOperationsResponse;
import dev.distribank.proto.bank.v1.Operation;
import dev.distribank.proto.bank.v1.OperationStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bank-admin admin ...}: the operator's views of a bank; every call sends the node's admin token. */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = {"Operator views of one bank: its customers and its operation log.",
        "These commands send the node's admin token (--token or BANK_TOKEN), not a customer's."},
    subcommands = {AdminCommands.Customers.class, AdminCommands.Operations.class})
public final class AdminCommands {

  @Command(name = "customers", mixinStandardHelpOptions = true, description = "The bank's customers in login order.")
  static final class Customers implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Mixin
    private Paging paging;

    @Override
    public Integer call() {
      var request = ListCustomersRequest.newBuilder().setPageSize(paging.pageSize()).setPageToken(paging.pageToken());
      ListCustomersResponse response = global.call(bank -> bank.admin().listCustomers(request.build()));
      global.print(response, out -> {
        Table table = new Table().left("LOGIN").left("KIND").left("TAX ID").left("NAME");
        for (Customer c : response.getCustomersList()) {
          table.row(c.getLogin(), WireText.label(c.getKind()), c.getTaxId(), c.getName());
        }
        table.print(out, "no customers");
        paging.printNext(out, response.getNextPageToken());
      });
      return 0;
    }
  }

  @Command(name = "operations", mixinStandardHelpOptions = true,
      description = "The bank's operation log: every transaction it took part in, newest first.")
  static final class Operations implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Mixin
    private Paging paging;

    @Override
    public Integer call() {
      var request = ListOperationsRequest.newBuilder().setPageSize(paging.pageSize()).setPageToken(paging.pageToken());
      ListOperationsResponse response = global.call(bank -> bank.admin().listOperations(request.build()));
      global.print(response, out -> {
        Table table = new Table().left("TIMESTAMP").left("TRANSACTION").left("STATUS").left("BY").left("LEGS");
        for (Operation o : response.getOperationsList()) {
          table.row(WireText.stamp(o.getTimestamp()), o.getTransactionId(), status(o), o.getPrincipal(),
              WireText.legs(o.getLegsList()));
        }
        table.print(out, "no operations");
        paging.printNext(out, response.getNextPageToken());
      });
      return 0;
    }

    /** "committed", or "aborted REASON (leg N)" so the failing leg shows beside the legs. */
    private static String status(Operation o) {
      if (o.getStatus() != OperationStatus.OPERATION_STATUS_ABORTED) {
        return WireText.label(o.getStatus());
      }
      return "aborted " + (o.getReason().isEmpty() ? "" : o.getReason() + " ") + "(leg " + o.getFailedLeg() + ")";
    }
  }
}
