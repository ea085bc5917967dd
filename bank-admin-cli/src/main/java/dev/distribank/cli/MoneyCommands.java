package dev.distribank.cli;

import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.DepositResponse;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.bank.v1.TransferResponse;
import dev.distribank.proto.bank.v1.WithdrawRequest;
import dev.distribank.proto.bank.v1.WithdrawResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
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
final class MoneyCommands {
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

  @Command(name = "deposit", mixinStandardHelpOptions = true,
      description = "Credit an account with money entering the consortium.")
  static final class Deposit implements Callable<Integer>, FailureReport.Idempotent {
    @Mixin
    private GlobalOptions global;

    @Mixin
    private RequestId requestId;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "The account to credit.")
    private String account;

    @Option(names = "--amount", required = true, paramLabel = "REAIS", converter = Money.Converter.class,
        description = "Reais with up to two decimals after a dot, e.g. 12.34.")
    private Money amount;

    @Override
    public String requestId() {
      return requestId.value();
    }

    @Override
    public Integer call() {
      var request = DepositRequest.newBuilder().setAccount(account).setAmountCents(amount.cents())
          .setRequestId(requestId());
      try (BankConnection bank = global.connect()) {
        DepositResponse response = bank.bank().deposit(request.build());
        global.print(response, out -> WireText.receipt(out, response.getReceipt()));
      }
      return 0;
    }
  }

  @Command(name = "withdraw", mixinStandardHelpOptions = true,
      description = "Debit an account with money leaving the consortium.")
  static final class Withdraw implements Callable<Integer>, FailureReport.Idempotent {
    @Mixin
    private GlobalOptions global;

    @Mixin
    private RequestId requestId;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "The account to debit.")
    private String account;

    @Option(names = "--amount", required = true, paramLabel = "REAIS", converter = Money.Converter.class,
        description = "Reais with up to two decimals after a dot, e.g. 5.00.")
    private Money amount;

    @Override
    public String requestId() {
      return requestId.value();
    }

    @Override
    public Integer call() {
      var request = WithdrawRequest.newBuilder().setAccount(account).setAmountCents(amount.cents())
          .setRequestId(requestId());
      try (BankConnection bank = global.connect()) {
        WithdrawResponse response = bank.bank().withdraw(request.build());
        global.print(response, out -> WireText.receipt(out, response.getReceipt()));
      }
      return 0;
    }
  }

  @Command(name = "transfer", mixinStandardHelpOptions = true,
      description = {"Move money between accounts at any banks, all legs or none.",
          "The legs apply atomically, in the consortium's global order. For example:",
          "  bank-admin transfer --leg alpha:1001,beta:pix:bia@example.com,12.34 --leg alpha:1001,alpha:1002,1"})
  static final class Transfer implements Callable<Integer>, FailureReport.Idempotent {
    @Mixin
    private GlobalOptions global;

    @Mixin
    private RequestId requestId;

    @Option(names = "--leg", required = true, paramLabel = "FROM,TO,AMOUNT", converter = TransferLegs.Converter.class,
        description = "A leg: FROM is bank:number, TO is bank:number or bank:pix:<key>, AMOUNT is reais (12.34)."
            + " Repeat for up to 64 legs, applied all-or-nothing.")
    private List<Leg> legs;

    @Override
    public String requestId() {
      return requestId.value();
    }

    @Override
    public Integer call() {
      var request = TransferRequest.newBuilder().addAllLegs(legs).setRequestId(requestId());
      try (BankConnection bank = global.connect()) {
        TransferResponse response = bank.bank().transfer(request.build());
        global.print(response, out -> WireText.receipt(out, response.getReceipt()));
      }
      return 0;
    }
  }
}
