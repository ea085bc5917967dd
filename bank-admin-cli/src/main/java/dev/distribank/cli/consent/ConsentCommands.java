package dev.distribank.cli.consent;

import com.google.protobuf.Timestamp;
import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.Table;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.Consent;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.GrantConsentResponse;
import dev.distribank.proto.bank.v1.ListConsentsRequest;
import dev.distribank.proto.bank.v1.ListConsentsResponse;
import dev.distribank.proto.bank.v1.RevokeConsentRequest;
import dev.distribank.proto.bank.v1.RevokeConsentResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code bank-admin consent ...}: the consents that let a customer of another bank debit one of the caller's accounts.
 *
 * <p>A principal is a login at a bank, so a customer signed in at bank C can debit an account at bank B only if a
 * holder of that account, signed in at B, granted a consent to {@code C:login}. The bank enforces every rule; this
 * class only refuses, as usage errors, values whose form is wrong before anything is sent.
 */
@Command(name = "consent", mixinStandardHelpOptions = true,
    description = {"Grant, list and revoke consents on the caller's accounts.",
        "A consent lets one customer of another bank (bank:login) debit one of your accounts, within optional limits"
            + " and until an optional expiry; without one, a debit asked for at another bank is refused with"
            + " CONSENT_REQUIRED. Holders and employees signed in at the account's own bank need none."},
    subcommands = {ConsentCommands.Grant.class, ConsentCommands.ListAll.class, ConsentCommands.Revoke.class})
public final class ConsentCommands {
  private ConsentCommands() {}

  /** "consent 7 on beta:1001 to alpha:caio: up to 500.00 per transaction, up to 2000.00 in total, never expires". */
  static String describe(Consent c) {
    return "consent " + c.getId() + " on " + c.getAccount() + " to " + c.getGrantee() + ": "
        + (c.getLimitPerTransactionCents() == 0 ? "no limit per transaction"
            : "up to " + Money.format(c.getLimitPerTransactionCents()) + " per transaction")
        + ", " + (c.getTotalLimitCents() == 0 ? "no total limit"
            : "up to " + Money.format(c.getTotalLimitCents()) + " in total")
        + ", " + (c.hasExpireTime() ? "expires " + instant(c.getExpireTime()) : "never expires");
  }

  /** A limit as the table shows it: 0 on the wire means there is none. */
  private static String limit(long cents) {
    return cents == 0 ? "no limit" : Money.format(cents);
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /**
   * Reads {@code --to BANK:LOGIN}, the grantee, checking only its form: whether that bank and login exist, and that
   * the bank is not the account's own, are the bank's to say.
   */
  static final class Grantee implements ITypeConverter<String> {
    private static final String EXPECTED = "write the grantee as BANK:LOGIN, e.g. alpha:caio";

    @Override
    public String convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }

    /**
     * The grantee, stripped.
     *
     * @throws IllegalArgumentException with a message saying what is wrong with {@code text}
     */
    static String parse(String text) {
      String grantee = text == null ? "" : text.strip();
      int colon = grantee.indexOf(':');
      if (colon < 0 && grantee.indexOf('@') > 0) {
        // "caio@alpha" is how statements name an initiator; the grantee is written the other way round.
        throw new IllegalArgumentException("'" + text + "' is login@bank; " + EXPECTED);
      }
      if (colon <= 0 || colon == grantee.length() - 1 || grantee.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException("'" + text + "' is not BANK:LOGIN; " + EXPECTED);
      }
      String bank = grantee.substring(0, colon);
      String login = grantee.substring(colon + 1);
      if (!WireText.BANK_ID.matcher(bank).matches()) {
        throw new IllegalArgumentException("'" + bank + "' is not a bank id (a-z, 0-9 and '-', 2 to 16 characters,"
            + " starting with a letter); " + EXPECTED);
      }
      if (!login.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
        throw new IllegalArgumentException("'" + login + "' is not a login (printable ASCII, no spaces); " + EXPECTED);
      }
      return grantee;
    }
  }

  /**
   * Reads {@code --expires}: a span from now, {@code N} followed by {@code d}, {@code h} or {@code m} ({@code 30d},
   * {@code 12h}, {@code 90m}), or an ISO-8601 instant ({@code 2027-01-31T00:00:00Z}), as the absolute instant the
   * consent ends. An instant in the past passes here: the bank's clock, not this machine's, decides that.
   */
  static final class Expiry implements ITypeConverter<Instant> {
    private static final Pattern SPAN = Pattern.compile("([0-9]{1,9})([dhm])");
    /** Longer than any consent means to last; leaving --expires out is the way to say "never". */
    private static final Duration MAX_SPAN = Duration.ofDays(36_500);
    /** The last second a protobuf Timestamp can carry. */
    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59Z");
    private static final String EXPECTED =
        "write a span from now (30d, 12h or 90m) or an ISO-8601 instant (2027-01-31T00:00:00Z)";

    @Override
    public Instant convert(String value) {
      try {
        return parse(value, Clock.systemUTC().instant());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }

    /**
     * The instant {@code text} names, a span counted from {@code now} (to the whole second, so it prints cleanly).
     *
     * @throws IllegalArgumentException with a message saying what is wrong with {@code text}
     */
    static Instant parse(String text, Instant now) {
      String value = text == null ? "" : text.strip();
      Matcher span = SPAN.matcher(value);
      if (span.matches()) {
        long n = Long.parseLong(span.group(1));
        Duration length = switch (span.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
        if (length.isZero()) {
          throw new IllegalArgumentException("'" + text + "' ends the consent now; give a span of at least 1m");
        }
        if (length.compareTo(MAX_SPAN) > 0) {
          throw new IllegalArgumentException("'" + text + "' is more than 100 years; leave --expires out for a"
              + " consent that never expires");
        }
        return now.truncatedTo(ChronoUnit.SECONDS).plus(length);
      }
      Instant at;
      try {
        at = Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not an expiry; " + EXPECTED);
      }
      if (at.isAfter(MAX_INSTANT)) {
        throw new IllegalArgumentException("'" + text + "' is after the year 9999; leave --expires out for a"
            + " consent that never expires");
      }
      return at;
    }
  }

  @Command(name = "grant", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Let a customer of another bank debit one of your accounts.",
          "Run it at the account's own bank, signed in as a holder. The consent authorises debits asked for by the"
              + " grantee, signed in at their bank, within the limits and until the expiry given. Granting again to"
              + " the same grantee replaces the earlier consent."},
      footerHeading = "%nExamples:%n",
      footer = {"  bank-admin consent grant --account gamma:1001 --to alpha:caio",
          "  bank-admin consent grant --account gamma:1001 --to alpha:caio \\",
          "      --limit 500.00 --total 2000.00 --expires 30d"})
  static final class Grant implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER",
        description = "The account the grantee may debit, one you hold at this bank.")
    private String account;

    @Option(names = "--to", required = true, paramLabel = "BANK:LOGIN", converter = Grantee.class,
        description = "Who may debit it: a customer's login at another bank of the consortium, e.g. alpha:caio.")
    private String grantee;

    @Option(names = "--limit", paramLabel = "REAIS", converter = Money.Converter.class,
        description = "At most this much in one transaction, e.g. 500.00. Default: no limit.")
    private Money limitPerTransaction;

    @Option(names = "--total", paramLabel = "REAIS", converter = Money.Converter.class,
        description = "At most this much in all, over the consent's whole life. Default: no limit.")
    private Money totalLimit;

    @Option(names = "--expires", paramLabel = "WHEN", converter = Expiry.class,
        description = "When it stops authorising debits: a span from now (30d, 12h, 90m) or an ISO-8601 instant"
            + " (2027-01-31T00:00:00Z). Default: never.")
    private Instant expires;

    @Override
    public Integer call() {
      var request = GrantConsentRequest.newBuilder().setAccount(account).setGrantee(grantee);
      // Unset options stay 0 and unset on the wire, which is how the bank reads "no limit" and "never".
      if (limitPerTransaction != null) {
        request.setLimitPerTransactionCents(limitPerTransaction.cents());
      }
      if (totalLimit != null) {
        request.setTotalLimitCents(totalLimit.cents());
      }
      if (expires != null) {
        request.setExpireTime(Timestamp.newBuilder().setSeconds(expires.getEpochSecond())
            .setNanos(expires.getNano()));
      }
      GrantConsentResponse response = global.call(bank -> bank.bank().grantConsent(request.build()));
      global.print(response, out -> out.println("granted " + describe(response.getConsent())));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the consents on an account, newest first, ended ones included.",
          "USED is what debits under a consent have taken; RESERVED is what debits still in flight hold."})
  static final class ListAll implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "e.g. gamma:1001.")
    private String account;

    @Override
    public Integer call() {
      ListConsentsResponse response = global.call(
          bank -> bank.bank().listConsents(ListConsentsRequest.newBuilder().setAccount(account).build()));
      global.print(response, out -> {
        Table table = new Table().left("ID").left("GRANTEE").right("PER TX").right("TOTAL").right("USED")
            .right("RESERVED").left("EXPIRES").left("STATE");
        for (Consent c : response.getConsentsList()) {
          table.row(Long.toString(c.getId()), c.getGrantee(), limit(c.getLimitPerTransactionCents()),
              limit(c.getTotalLimitCents()), Money.format(c.getUsedCents()), Money.format(c.getReservedCents()),
              c.hasExpireTime() ? instant(c.getExpireTime()).toString() : "never", WireText.label(c.getState()));
        }
        table.print(out, "no consents on " + account);
      });
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"End a grantee's consent on one of your accounts, at once.",
          "Debits it authorised before the revocation still apply; later ones are refused with CONSENT_REQUIRED."})
  static final class Revoke implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER",
        description = "The account, one you hold at this bank.")
    private String account;

    @Option(names = "--to", required = true, paramLabel = "BANK:LOGIN", converter = Grantee.class,
        description = "The grantee whose consent ends, as `consent list` shows it, e.g. alpha:caio.")
    private String grantee;

    @Override
    public Integer call() {
      RevokeConsentResponse response = global.call(bank -> bank.bank()
          .revokeConsent(RevokeConsentRequest.newBuilder().setAccount(account).setGrantee(grantee).build()));
      Consent c = response.getConsent();
      global.print(response, out -> out.println("revoked consent " + c.getId() + " on " + c.getAccount() + " to "
          + c.getGrantee() + " (used " + Money.format(c.getUsedCents()) + ")"));
      return 0;
    }
  }
}
