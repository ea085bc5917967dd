package dev.distribank.cli.money;

import com.google.protobuf.MessageOrBuilder;
import dev.distribank.cli.FailureReport;
import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.DepositResponse;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.bank.v1.TransferResponse;
import dev.distribank.proto.bank.v1.WithdrawRequest;
import dev.distribank.proto.bank.v1.WithdrawResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bank-admin deposit|withdraw|transfer}: the commands that move money.
 *
 * <p>Each sends a request id (AIP-155), the one given with {@code --request-id} or a fresh UUID, so that when the
 * outcome is unknown (a timeout, a lost connection) the same command repeated with that id returns the first outcome
 * instead of moving the money twice. {@link FailureReport} prints the id in that case.
 */
public final class MoneyCommands {
  private MoneyCommands() {}

  /** The options every money movement shares, as a mixin. */
  static final class RequestId {
    @Option(names = "--request-id", paramLabel = "UUID",
        description = "Idempotency key: a retry with the same id returns the first outcome and never applies"
            + " twice. Default: a new random UUID.")
    private UUID requestId;

    private UUID chosen;

    /** The id to send, chosen once per run so that the hint after a failure names the id that was sent. */
    String value() {
      if (chosen == null) {
        chosen = requestId != null ? requestId : UUID.randomUUID();
      }
      return chosen.toString();
    }

    /** Whether the command line gave one. */
    boolean given() {
      return requestId != null;
    }
  }

  /**
   * What deposit, withdraw and transfer share: the request id, one call, and the receipt of the answer printed. Each
   * subclass declares its own options and builds its own request.
   *
   * @param <R> the response, which carries the receipt
   */
  abstract static class Movement<R extends MessageOrBuilder> implements Callable<Integer>, FailureReport.Idempotent {
    @Mixin
    private GlobalOptions global;

    @Mixin
    private RequestId requestId;

    private final Function<R, TransactionReceipt> receipt;

    Movement(Function<R, TransactionReceipt> receipt) {
      this.receipt = receipt;
    }

    /** Sends the request, carrying {@link #requestId()}. */
    abstract R send(BankServiceGrpc.BankServiceBlockingStub bank);

    @Override
    public String requestId() {
      return requestId.value();
    }

    /** Whether {@code --request-id} was given (the transfers of a file carry their own). */
    boolean requestIdGiven() {
      return requestId.given();
    }

    GlobalOptions global() {
      return global;
    }

    @Override
    public Integer call() {
      R response = global.call(bank -> send(bank.bank()));
      global.print(response, out -> WireText.receipt(out, receipt.apply(response)));
      return 0;
    }
  }

  /** {@code bank-admin deposit}: money entering the consortium, into one account. */
  @Command(name = "deposit", mixinStandardHelpOptions = true,
      description = "Credit an account with money entering the consortium.")
  public static final class Deposit extends Movement<DepositResponse> {
    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "The account to credit.")
    private String account;

    @Option(names = "--amount", required = true, paramLabel = "REAIS", converter = Money.Converter.class,
        description = "Reais with up to two decimals after a dot, e.g. 12.34.")
    private Money amount;

    Deposit() {
      super(DepositResponse::getReceipt);
    }

    @Override
    DepositResponse send(BankServiceGrpc.BankServiceBlockingStub bank) {
      return bank.deposit(DepositRequest.newBuilder().setAccount(account).setAmountCents(amount.cents())
          .setRequestId(requestId()).build());
    }
  }

  /** {@code bank-admin withdraw}: money leaving the consortium, from one account. */
  @Command(name = "withdraw", mixinStandardHelpOptions = true,
      description = "Debit an account with money leaving the consortium.")
  public static final class Withdraw extends Movement<WithdrawResponse> {
    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "The account to debit.")
    private String account;

    @Option(names = "--amount", required = true, paramLabel = "REAIS", converter = Money.Converter.class,
        description = "Reais with up to two decimals after a dot, e.g. 5.00.")
    private Money amount;

    Withdraw() {
      super(WithdrawResponse::getReceipt);
    }

    @Override
    WithdrawResponse send(BankServiceGrpc.BankServiceBlockingStub bank) {
      return bank.withdraw(WithdrawRequest.newBuilder().setAccount(account).setAmountCents(amount.cents())
          .setRequestId(requestId()).build());
    }
  }

  /** {@code bank-admin transfer}: legs between accounts at any banks, applied all or none; or a file of transfers. */
  @Command(name = "transfer", mixinStandardHelpOptions = true,
      description = {"Move money between accounts at any banks, all legs or none.",
          "The legs apply atomically, in the consortium's global order. For example:",
          "  bank-admin transfer --leg alpha:1001,beta:pix:bia@example.com,12.34 --leg alpha:1001,alpha:1002,1",
          "Or many independent one-leg transfers from a file, sent in batches of up to " + TransferBatches.MAX_BATCH
              + " (SubmitTransactions), one line printed per transfer; exits 1 if any was refused:",
          "  bank-admin transfer --from-file payroll.csv    (header from,to,amount[,request_id])",
          "  producer | bank-admin transfer --from-file - --output json    (JSON lines:"
              + " {\"from\":...,\"to\":...,\"amount\":\"12.34\",\"request_id\":...})"})
  public static final class Transfer extends Movement<TransferResponse> {
    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private What what;

    /** One transaction of legs, or a file of transfers: one or the other. */
    static final class What {
      @Option(names = "--leg", required = true, paramLabel = "FROM,TO,AMOUNT",
          converter = TransferLegs.Converter.class,
          description = "A leg: FROM is bank:number, TO is bank:number or bank:pix:<key>, AMOUNT is reais (12.34)."
              + " Repeat for up to 64 legs, applied all-or-nothing.")
      private List<Leg> legs;

      @Option(names = "--from-file", required = true, paramLabel = "FILE",
          description = "Send the one-leg transfers of FILE ('-' for standard input), each on its own: CSV under"
              + " the header from,to,amount or from,to,amount,request_id, or a JSON object per line with from, to,"
              + " amount (reais, e.g. \"12.34\") and an optional request_id. A transfer without a request id gets"
              + " a new one, printed with its result.")
      private String file;
    }

    Transfer() {
      super(TransferResponse::getReceipt);
    }

    @Override
    public String requestId() {
      // A file's transfers carry their own ids, printed beside their results; none is the command's.
      return what.file == null ? super.requestId() : "";
    }

    @Override
    public Integer call() {
      if (what.file == null) {
        return super.call();
      }
      if (requestIdGiven()) {
        throw usage("--request-id names one transfer given with --leg; in --from-file give each line its"
            + " request_id");
      }
      String name = what.file.equals("-") ? "standard input" : what.file;
      List<TransferFile.Line> lines;
      try (BufferedReader reader = what.file.equals("-")
          ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
          : Files.newBufferedReader(Path.of(what.file), StandardCharsets.UTF_8)) {
        lines = TransferFile.read(name, reader);
      } catch (IOException | InvalidPathException e) {
        throw usage("--from-file: cannot read " + what.file + " (" + e.getMessage() + ")");
      } catch (IllegalArgumentException e) {
        throw usage("--from-file: " + e.getMessage());
      }
      return new TransferBatches(global(), name).send(lines) == 0 ? 0 : 1;
    }

    private ParameterException usage(String message) {
      return new ParameterException(spec.commandLine(), message);
    }

    @Override
    TransferResponse send(BankServiceGrpc.BankServiceBlockingStub bank) {
      return bank.transfer(TransferRequest.newBuilder().addAllLegs(what.legs).setRequestId(requestId()).build());
    }
  }
}
