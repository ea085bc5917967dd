package dev.distribank.cli.text;

import com.google.common.base.CaseFormat;
import com.google.protobuf.ProtocolMessageEnum;
import dev.distribank.proto.bank.v1.LamportTimestamp;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Pattern;

/** How the wire's values read in text output (enum labels, stamps, legs, receipts) and the form of a bank id. */
public final class WireText {
  /** A bank's id as accounts, grantees and {@code --targets} write it: 2 to 16 of a-z, 0-9 and '-', a letter first. */
  public static final Pattern BANK_ID = Pattern.compile("[a-z][a-z0-9-]{1,15}");

  private WireText() {}

  /** An enum value as a user types it: {@code ACCOUNT_KIND_JOINT} reads "joint", {@code PIX_KEY_TYPE_EVP} "evp". */
  public static String label(ProtocolMessageEnum value) {
    if (value instanceof Enum<?> e && e.name().equals("UNRECOGNIZED")) {
      // A value added to the contract after this CLI was built.
      return "unknown(" + value.getNumber() + ")";
    }
    String name = value.getValueDescriptor().getName();
    String type = value.getDescriptorForType().getName();
    String prefix = CaseFormat.UPPER_CAMEL.to(CaseFormat.UPPER_UNDERSCORE, type) + "_";
    return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase(java.util.Locale.ROOT);
  }

  /** A place in the global order, "counter@bank"; "-" for none (an aborted transaction never gets one). */
  public static String stamp(LamportTimestamp t) {
    return t.getBank().isEmpty() ? "-" : t.getCounter() + "@" + t.getBank();
  }

  /** One leg on one line: "transfer alpha:1001 -> beta:2001 12.34", "deposit -> alpha:1001 5.00". */
  public static String leg(Leg leg) {
    String from = leg.getFromAccount().isEmpty() ? "" : leg.getFromAccount() + " ";
    String to = leg.getToAccount().isEmpty() ? "" : " " + leg.getToAccount();
    return label(leg.getKind()) + " " + from + "->" + to + " " + Money.format(leg.getAmountCents());
  }

  /** Several legs on one line, separated by semicolons. */
  public static String legs(List<Leg> legs) {
    return String.join("; ", legs.stream().map(WireText::leg).toList());
  }

  /** "committed TXN at counter@bank", then the legs as applied (PIX keys resolved). */
  public static void receipt(PrintWriter out, TransactionReceipt r) {
    out.println("committed " + r.getTransactionId() + " at " + stamp(r.getTimestamp())
        + (r.getReplayed() ? " (replayed: the first outcome of request " + r.getRequestId() + ")" : ""));
    r.getLegsList().forEach(leg -> out.println("  " + leg(leg)));
    if (!r.getRequestId().isEmpty() && !r.getReplayed()) {
      out.println("  request id " + r.getRequestId());
    }
  }

  /** "-" for an empty list, else its items joined by commas. */
  public static String list(List<String> items) {
    return items.isEmpty() ? "-" : String.join(", ", items);
  }
}
