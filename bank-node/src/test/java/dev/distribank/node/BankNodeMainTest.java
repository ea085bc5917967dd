package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The node's command line refuses bad configuration with exit code 2 and a message that names the option. */
class BankNodeMainTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--admin-token|short|--admin-token",
      "--listen|localhost|--listen",
      "--listen|127.0.0.1:99999|--listen",
      "--bank|Alpha!|--bank",
      "--password-iterations|1000|--password-iterations",
      "--peers|alpha=127.0.0.1:7001,alpha=127.0.0.1:7002|appears twice",
      "--peers|beta=127.0.0.1:7002|must list this bank",
      "--peers|alpha=127.0.0.1:7001,beta=nowhere|expected HOST:PORT",
      "--peers|alpha=127.0.0.1:7001,Beta=127.0.0.1:7002|peer id",
      "--cluster-file|/no/such/file|cannot read",
  })
  void badOption_exitsTwoNamingTheOption(String option, String value, String named) {
    var err = new StringWriter();
    var cmd = new CommandLine(new BankNodeMain()).setErr(new PrintWriter(err));
    String[] args = option.equals("--admin-token")
        ? new String[] {option, value}
        : new String[] {"--admin-token", "long-enough-token", "--peer-token", "long-enough-peer", option, value};

    int exit = cmd.execute(args);

    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains(named), err.toString());
  }

  @org.junit.jupiter.api.Test
  void help_listsEveryOptionWithItsEnvironmentVariable() {
    var out = new StringWriter();
    int exit = new CommandLine(new BankNodeMain()).setOut(new PrintWriter(out)).execute("--help");
    assertEquals(0, exit);
    for (String env : new String[] {"BANK_ID", "BANK_LISTEN", "BANK_DATA_DIR", "BANK_ADMIN_TOKEN"}) {
      assertTrue(out.toString().contains(env), env + " missing from --help");
    }
  }
}
