package dev.distribank.cli.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.Cli;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How {@code consent} options are read, and which command lines are refused with exit 2 before any call: port 1 has
 * no node, so a command that got as far as calling would exit 1 instead.
 */
class ConsentOptionsTest {
  private static final Instant NOW = Instant.parse("2026-11-27T03:56:21.123Z");
  private static final String NOWHERE = "127.0.0.1:1";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      30d                       | 2026-12-27T03:56:21Z
      12h                       | 2026-11-27T15:56:21Z
      90m                       | 2026-11-27T05:26:21Z
      ' 1m '                    | 2026-11-27T03:57:21Z
      2027-01-31T00:00:00Z      | 2027-01-31T00:00:00Z
      2027-01-31T00:00:00-03:00 | 2027-01-31T03:00:00Z
      2020-01-01T00:00:00Z      | 2020-01-01T00:00:00Z
      """)
  void expiry_spanOrInstant_absoluteInstant(String text, String expected) {
    // A span counts from now to the whole second; an instant in the past passes, for the bank's clock to judge.
    assertEquals(Instant.parse(expected), ConsentCommands.Expiry.parse(text, NOW));
  }

  @Test
  void expiry_longestSpan_accepted() {
    assertEquals(Instant.parse("2026-11-27T03:56:21Z").plus(Duration.ofDays(36_500)),
        ConsentCommands.Expiry.parse("36500d", NOW));
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                      | is not an expiry
      tomorrow                | is not an expiry
      30                      | is not an expiry
      30s                     | is not an expiry
      -1d                     | is not an expiry
      2027-01-31              | is not an expiry
      2027-13-01T00:00:00Z    | is not an expiry
      0d                      | ends the consent now
      36501d                  | is more than 100 years
      999999999h              | is more than 100 years
      +10000-01-01T00:00:00Z  | is after the year 9999
      """)
  void expiry_malformed_refusedSayingWhy(String text, String expected) {
    var e = assertThrows(IllegalArgumentException.class, () -> ConsentCommands.Expiry.parse(text, NOW));
    assertTrue(e.getMessage().contains(expected), e::getMessage);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      alpha:caio           | alpha:caio
      ' beta:bia.s_2 '     | beta:bia.s_2
      bank-7:x             | bank-7:x
      """)
  void grantee_bankColonLogin_accepted(String text, String expected) {
    assertEquals(expected, ConsentCommands.Grantee.parse(text));
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ''              | is not BANK:LOGIN
      caio            | is not BANK:LOGIN
      :caio           | is not BANK:LOGIN
      alpha:          | is not BANK:LOGIN
      alpha:caio:x    | is not BANK:LOGIN
      caio@alpha      | is login@bank
      Alpha:caio      | 'Alpha' is not a bank id
      a:caio          | 'a' is not a bank id
      'alpha:ca io'   | 'ca io' is not a login
      """)
  void grantee_malformed_refusedSayingWhy(String text, String expected) {
    var e = assertThrows(IllegalArgumentException.class, () -> ConsentCommands.Grantee.parse(text));
    assertTrue(e.getMessage().contains(expected), e::getMessage);
    assertTrue(e.getMessage().contains("e.g. alpha:caio"), e::getMessage);
  }

  private static void refused(String expected, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--target";
    all[args.length + 1] = NOWHERE;
    all[args.length + 2] = "--token";
    all[args.length + 3] = "t";
    Cli.Result r = Cli.raw(all);
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertTrue(r.err().startsWith("error: "), r::toString);
    assertTrue(r.err().contains(expected), r::toString);
  }

  @Test
  void grant_badTo_usageError() {
    refused("Invalid value for option '--to': 'caio' is not BANK:LOGIN", "consent", "grant", "--account",
        "beta:1001", "--to", "caio");
    refused("'caio@alpha' is login@bank; write the grantee as BANK:LOGIN", "consent", "grant", "--account",
        "beta:1001", "--to", "caio@alpha");
    refused("Invalid value for option '--to'", "consent", "revoke", "--account", "beta:1001", "--to", "alpha:");
  }

  @Test
  void grant_badExpires_usageError() {
    refused("Invalid value for option '--expires': 'tomorrow' is not an expiry; write a span from now (30d, 12h or"
        + " 90m) or an ISO-8601 instant (2027-01-31T00:00:00Z)", "consent", "grant", "--account", "beta:1001",
        "--to", "alpha:caio", "--expires", "tomorrow");
    refused("'0m' ends the consent now", "consent", "grant", "--account", "beta:1001", "--to", "alpha:caio",
        "--expires", "0m");
  }

  @Test
  void grant_badAmounts_usageError() {
    // 0 is refused too: on the wire it means "no limit", which is said by leaving the option out.
    for (String amount : new String[] {"0", "-1", "1,50", "1.234", "1e3", "abc"}) {
      refused("Invalid value for option '--limit'", "consent", "grant", "--account", "beta:1001", "--to",
          "alpha:caio", "--limit=" + amount);
      refused("Invalid value for option '--total'", "consent", "grant", "--account", "beta:1001", "--to",
          "alpha:caio", "--total=" + amount);
    }
  }

  @Test
  void missingOptionsOrSubcommand_usageError() {
    refused("Missing required option: '--to=BANK:LOGIN'", "consent", "grant", "--account", "beta:1001");
    refused("Missing required option: '--account=BANK:NUMBER'", "consent", "list");
    refused("Missing required subcommand", "consent");
  }
}
