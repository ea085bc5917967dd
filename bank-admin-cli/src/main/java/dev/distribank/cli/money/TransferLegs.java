package dev.distribank.cli.money;

import dev.distribank.cli.text.Money;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a {@code --leg FROM,TO,AMOUNT} of the transfer command into a wire {@link Leg}.
 *
 * <p>FROM is {@code bank:number}; TO is {@code bank:number} or {@code bank:pix:<key>}; AMOUNT is reais as {@link Money}
 * reads them. Exactly three comma-separated parts are required: no account id or PIX key contains a comma, and refusing
 * a fourth part catches the Brazilian decimal comma ({@code 12,34}) instead of sending a leg the user did not mean.
 * The account ids themselves are the bank's to validate; here they only have to be present.
 */
final class TransferLegs {
  private TransferLegs() {}

  /**
   * Parses one leg.
   *
   * @throws IllegalArgumentException with a message saying what is wrong with {@code text}
   */
  static Leg parse(String text) {
    String[] parts = text == null ? new String[0] : text.split(",", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("'" + text + "' is not a leg: expected FROM,TO,AMOUNT (three parts separated"
          + " by commas, e.g. alpha:1001,beta:pix:bia@example.com,12.34); write amounts with a decimal dot");
    }
    return of(parts[0], parts[1], parts[2], text);
  }

  /**
   * A leg from its three fields, each stripped, checked in the order {@link #parse} checks them: FROM, TO, then the
   * amount; {@code shown} is how a refusal quotes the leg.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  static Leg of(String fromText, String toText, String amountText, String shown) {
    String from = fromText.strip();
    String to = toText.strip();
    if (from.isEmpty()) {
      throw new IllegalArgumentException("'" + shown + "' has no FROM account (bank:number)");
    }
    if (to.isEmpty()) {
      throw new IllegalArgumentException("'" + shown + "' has no TO account (bank:number or bank:pix:<key>)");
    }
    Money amount = Money.parseAmount(amountText.strip());
    return Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to)
        .setAmountCents(amount.cents()).build();
  }

  /** Lets picocli read {@code --leg} options, refusing malformed legs as usage errors (exit 2). */
  static final class Converter implements ITypeConverter<Leg> {
    @Override
    public Leg convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
