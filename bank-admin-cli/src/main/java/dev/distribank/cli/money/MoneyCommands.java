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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    /** The id to send, chosen once per run so that the hint after a failure names the id that was sent. */
    String value() {
      if (requestId == null) {
        requestId = UUID.randomUUID();
      }
      return requestId.toString();
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

  /** {@code bank-admin transfer}: legs between accounts at any banks, applied all or none. */
  @Command(name = "transfer", mixinStandardHelpOptions = true,
      description = {"Move money between accounts at any banks, all legs or none.",
          "The legs apply atomically, in the consortium's global order. For example:",
          "  bank-admin transfer --leg alpha:1001,beta:pix:bia@example.com,12.34 --leg alpha:1001,alpha:1002,1"})
  public static final class Transfer extends Movement<TransferResponse> {
    @Option(names = "--leg", required = true, paramLabel = "FROM,TO,AMOUNT", converter = TransferLegs.Converter.class,
        description = "A leg: FROM is bank:number, TO is bank:number or bank:pix:<key>, AMOUNT is reais (12.34)."
            + " Repeat for up to 64 legs, applied all-or-nothing.")
    private List<Leg> legs;

    Transfer() {
      super(TransferResponse::getReceipt);
    }

    @Override
    TransferResponse send(BankServiceGrpc.BankServiceBlockingStub bank) {
      return bank.transfer(TransferRequest.newBuilder().addAllLegs(legs).setRequestId(requestId()).build());
    }
  }
}
