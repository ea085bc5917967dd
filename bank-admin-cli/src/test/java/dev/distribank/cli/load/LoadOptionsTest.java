package dev.distribank.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.distribank.cli.Cli;
import org.junit.jupiter.api.Test;

/** A wrong `load` command line is refused with exit 2 before any call: port 1 has no node, so a call would exit 1. */
class LoadOptionsTest {
  private static final String NOWHERE = "alpha=127.0.0.1:1,beta=127.0.0.1:1";

  private static void refused(String expected, String... options) {
    String[] args = new String[options.length + 5];
    args[0] = "load";
    args[1] = "--targets";
    args[2] = NOWHERE;
    args[3] = "--admin-token";
    args[4] = "t";
    System.arraycopy(options, 0, args, 5, options.length);
    Cli.Result r = Cli.raw(args);
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains(expected), r::toString);
  }

  @Test
  void outOfRangeOptions_usageErrors() {
    refused("--clients must be between 1 and 1024", "--clients", "0");
    refused("--accounts-per-bank must be between 2 and 10000", "--accounts-per-bank", "1");
    refused("--retries must be between 0 and 100", "--retries", "101");
    refused("--batch-size must be between 1 and 8190", "--batch-size", "0");
    refused("--batch-size must be between 1 and 8190", "--batch-size", "8191");
    refused("--cross-bank-ratio must be between 0 and 1", "--cross-bank-ratio", "1.5");
    refused("--overdraft-ratio must be between 0 and 1", "--overdraft-ratio", "NaN");
    refused("--duration must be more than 0", "--duration", "0s");
    refused("is not a duration", "--duration", "soon");
    refused("--transactions must be at least 1", "--transactions", "0");
    refused("--seed must be 0 or more", "--seed", "-1");
    refused("Invalid value for option '--initial-balance'", "--initial-balance", "1,00");
  }

  @Test
  void badRate_usageErrors() {
    refused("--rate must be a positive number of calls a second, at most 1000000, not 0.0", "--rate", "0");
    refused("--rate must be a positive number of calls a second, at most 1000000, not -5.0", "--rate", "-5");
    refused("--rate must be a positive number of calls a second, at most 1000000, not NaN", "--rate", "NaN");
    refused("--rate must be a positive number of calls a second, at most 1000000, not Infinity", "--rate",
        "Infinity");
    refused("--rate must be a positive number of calls a second, at most 1000000, not 2000000.0", "--rate", "2e6");
    refused("Invalid value for option '--rate': 'fast' is not a double", "--rate", "fast");
    // --clients bounds the calls in flight of the open loop, in the same range.
    refused("--clients must be between 1 and 1024", "--rate", "50", "--clients", "0");
  }

  @Test
  void badTargets_usageErrors() {
    Cli.Result id = Cli.raw("load", "--targets", "Alpha=127.0.0.1:1", "--admin-token", "t");
    assertEquals(2, id.exitCode(), id::toString);
    assertTrue(id.err().contains("'Alpha' is not a bank id"), id::toString);
    Cli.Result form = Cli.raw("load", "--targets", "127.0.0.1:1", "--admin-token", "t");
    assertEquals(2, form.exitCode(), form::toString);
  }

  @Test
  void noAdminToken_usageError() {
    assumeTrue(System.getenv("BANK_TOKEN") == null, "BANK_TOKEN is set in this environment");
    Cli.Result r = Cli.raw("load", "--targets", NOWHERE);
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("load needs the nodes' admin token"), r::toString);
  }
}
