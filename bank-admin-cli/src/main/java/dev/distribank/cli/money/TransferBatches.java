package dev.distribank.cli.money;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.StatusDetails;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.SubmitTransactionsRequest;
import dev.distribank.proto.bank.v1.SubmitTransactionsResponse;
import dev.distribank.proto.bank.v1.TransactionResult;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Sends the transfers of {@code transfer --from-file} in batches of at most {@link #MAX_BATCH} (SubmitTransactions),
 * one batch after another on one connection, and prints one line per transfer as its batch is answered: committed
 * with its receipt, or refused with the bank's reason. A call that fails as a whole (not signed in, the node down)
 * stops the run: its transfers and those after it got no answer, which stderr says before the failure is reported.
 */
final class TransferBatches {
  /** The most transactions one SubmitTransactions may carry. */
  static final int MAX_BATCH = 8_190;
  /** A refusal's field as the bank names it within its batch: {@code transactions[i].legs[0].amount_cents}. */
  private static final Pattern IN_BATCH = Pattern.compile("^transactions\\[\\d+]\\.");
  /** One JSON object per line; the details of a refusal printed, not only their type URLs. */
  private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace()
      .alwaysPrintFieldsWithNoPresence()
      .usingTypeRegistry(TypeRegistry.newBuilder().add(ErrorInfo.getDescriptor()).add(BadRequest.getDescriptor())
          .add(RetryInfo.getDescriptor()).build());

  private final GlobalOptions global;
  private final String name;

  /** @param name how the summary names the file ("standard input" for '-') */
  TransferBatches(GlobalOptions global, String name) {
    this.global = global;
    this.name = name;
  }

  /** Sends every transfer; returns how many were refused (0: all committed). */
  int send(List<TransferFile.Line> lines) {
    int[] refused = {0};
    int[] answered = {0};
    try {
      global.call(bank -> {
        for (int start = 0; start < lines.size(); start += MAX_BATCH) {
          List<TransferFile.Line> batch = lines.subList(start, Math.min(lines.size(), start + MAX_BATCH));
          var request = SubmitTransactionsRequest.newBuilder();
          batch.forEach(line -> request.addTransactions(line.transfer()));
          SubmitTransactionsResponse response = bank.bank().submitTransactions(request.build());
          for (int i = 0; i < batch.size(); i++) {
            TransactionResult result = response.getResults(i).toBuilder().setIndex(start + i).build();
            refused[0] += result.hasReceipt() ? 0 : 1;
            print(batch.get(i), result);
          }
          answered[0] += batch.size();
          global.out().flush();
        }
        return null;
      });
    } catch (StatusRuntimeException e) {
      global.err().println("transfer: " + answered[0] + " of " + lines.size() + " transfers of " + name
          + " answered; from line " + lines.get(answered[0]).number() + " on, none was: those of the batch that"
          + " failed may or may not have been applied (send them again with the same request ids to learn their"
          + " outcome; a repeat never applies twice)");
      global.err().flush();
      throw e;
    }
    global.err().println("transfer: " + lines.size() + " transfers of " + name + ": " + (lines.size() - refused[0])
        + " committed, " + refused[0] + " refused");
    global.err().flush();
    return refused[0];
  }

  private void print(TransferFile.Line line, TransactionResult result) {
    PrintWriter out = global.out();
    if (global.json()) {
      out.println("{\"line\":" + line.number() + ",\"result\":" + json(result) + "}");
      return;
    }
    String requestId = "; request id " + line.transfer().getRequestId();
    if (result.hasReceipt()) {
      var receipt = result.getReceipt();
      out.println("line " + line.number() + ": committed " + receipt.getTransactionId() + " at "
          + WireText.stamp(receipt.getTimestamp()) + (receipt.getReplayed() ? " (replayed)" : "") + ": "
          + WireText.legs(receipt.getLegsList()) + requestId);
      return;
    }
    StatusDetails details = StatusDetails.of(result.getError());
    String reason = details.reason().isEmpty() ? "" : details.reason() + ": ";
    var fields = new StringBuilder();
    details.badRequest().getFieldViolationsList().forEach(v -> fields.append(", field ")
        .append(IN_BATCH.matcher(v.getField()).replaceFirst("")));
    out.println("line " + line.number() + ": refused " + reason + result.getError().getMessage() + " ("
        + details.status().getCode() + ")" + fields + requestId);
  }

  private static String json(TransactionResult result) {
    try {
      return JSON.print(result);
    } catch (InvalidProtocolBufferException e) {
      // Only a detail of a type the registry lacks fails to print; the bank sends none other.
      throw new IllegalStateException("cannot print " + result, e);
    }
  }
}
