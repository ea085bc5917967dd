package dev.distribank.cli.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.BankAdmin;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** How {@code --leg FROM,TO,AMOUNT} becomes a wire leg, and which legs are refused before anything is sent. */
class LegParsingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      alpha:1001,beta:2001,12.34                     | alpha:1001 | beta:2001                     | 1234
      alpha:1001,alpha:1002,1                        | alpha:1001 | alpha:1002                    | 100
      alpha:1001,beta:pix:bia@example.com,0.01       | alpha:1001 | beta:pix:bia@example.com      | 1
      alpha:1001,beta:pix:+5511987654321,5.5         | alpha:1001 | beta:pix:+5511987654321       | 550
      alpha:1001,beta:pix:52998224725,10000000000000 | alpha:1001 | beta:pix:52998224725          | 1000000000000000
      ' alpha:1001 , beta:2001 , 7.00 '              | alpha:1001 | beta:2001                     | 700
      """)
  void parse_wellFormed_transferLeg(String text, String from, String to, long cents) {
    Leg leg = TransferLegs.parse(text);
    assertEquals(LegKind.LEG_KIND_TRANSFER, leg.getKind());
    assertEquals(from, leg.getFromAccount());
    assertEquals(to, leg.getToAccount());
    assertEquals(cents, leg.getAmountCents());
  }

  /** Refusals in the order parse checks them: shape, then FROM, then TO, then the amount. */
  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                                 | expected FROM,TO,AMOUNT
      alpha:1001                         | expected FROM,TO,AMOUNT
      alpha:1001,beta:2001               | expected FROM,TO,AMOUNT
      alpha:1001,beta:2001,12,34         | expected FROM,TO,AMOUNT
      alpha:1001,beta:2001,1,extra       | expected FROM,TO,AMOUNT
      ,beta:2001,1                       | no FROM
      ' ,beta:2001,1'                    | no FROM
      alpha:1001,,1                      | no TO
      alpha:1001,beta:2001,              | the amount is empty
      alpha:1001,beta:2001,-5            | has a sign
      alpha:1001,beta:2001,0             | is zero
      alpha:1001,beta:2001,1.234         | more than two decimals
      alpha:1001,beta:2001,1e3           | is not an amount
      alpha:1001,beta:2001,10000000000000.01 | too large
      """)
  void parse_malformed_refusedWithReason(String text, String reason) {
    var e = assertThrows(IllegalArgumentException.class, () -> TransferLegs.parse(text));
    assertTrue(e.getMessage().contains(reason), () -> "message for '" + text + "': " + e.getMessage());
  }

  @Test
  void transferCommand_repeatedLegs_keptInOrder() {
    ParseResult parsed = BankAdmin.commandLine().parseArgs("transfer",
        "--leg", "alpha:1001,beta:pix:bia@example.com,12.34", "--leg", "alpha:1001,alpha:1002,1");
    List<Leg> legs = parsed.subcommand().matchedOptionValue("--leg", List.of());
    assertEquals(2, legs.size());
    assertEquals("beta:pix:bia@example.com", legs.get(0).getToAccount());
    assertEquals(1234, legs.get(0).getAmountCents());
    assertEquals("alpha:1002", legs.get(1).getToAccount());
    assertEquals(100, legs.get(1).getAmountCents());
  }

  @Test
  void transferCommand_malformedLeg_usageErrorBeforeAnyCall() {
    StringWriter err = new StringWriter();
    CommandLine cli = BankAdmin.commandLine().setErr(new PrintWriter(err, true));
    // No node listens on port 1: exit 2 proves the leg was refused before a connection was tried.
    int exit = cli.execute("transfer", "--leg", "alpha:1001,beta:2001,12,34", "--target", "127.0.0.1:1");
    assertEquals(2, exit, err::toString);
    assertTrue(err.toString().contains("--leg"), err::toString);
    assertTrue(err.toString().contains("decimal dot"), err::toString);
  }

  @Test
  void transferCommand_noLeg_usageError() {
    StringWriter err = new StringWriter();
    int exit = BankAdmin.commandLine().setErr(new PrintWriter(err, true)).execute("transfer");
    assertEquals(2, exit, err::toString);
    assertTrue(err.toString().contains("--leg"), err::toString);
  }
}
