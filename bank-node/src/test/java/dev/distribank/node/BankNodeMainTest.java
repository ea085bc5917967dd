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
      "--peers|alpha=127.0.0.1:7101,beta=127.0.0.1:7102|needs TLS",
      "--pki-dir|/no/such/dir|cannot read /no/such/dir/alpha.pem",
      "--tls-cert|/no/such/cert.pem|--tls-key is required",
      "--health-listen|7201|--health-listen must be HOST:PORT",
      "--peer-listen|nowhere|--peer-listen must be HOST:PORT",
      "--vote-batching|maybe|--vote-batching",
      "--disk-full-retry-seconds|0|--disk-full-retry-seconds must be at least 1",
  })
  void badOption_exitsTwoNamingTheOption(String option, String value, String named) {
    var err = new StringWriter();
    var cmd = new CommandLine(new BankNodeMain()).setErr(new PrintWriter(err));
    String[] args = option.equals("--admin-token")
        ? new String[] {option, value}
        : new String[] {"--admin-token", "long-enough-token", option, value};

    int exit = cmd.execute(args);

    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains(named), err.toString());
  }

  @org.junit.jupiter.api.Test
  void help_listsEveryOptionWithItsEnvironmentVariable() {
    var out = new StringWriter();
    int exit = new CommandLine(new BankNodeMain()).setOut(new PrintWriter(out)).execute("--help");
    assertEquals(0, exit);
    for (String env : new String[] {"BANK_ID", "BANK_LISTEN", "BANK_DATA_DIR", "BANK_ADMIN_TOKEN", "BANK_PKI_DIR",
        "BANK_TLS_CERT", "BANK_TLS_KEY", "BANK_CA_CERT", "BANK_HEALTH_LISTEN", "BANK_PEER_LISTEN", "BANK_VOTE_BATCHING",
        "BANK_DISK_FULL_RETRY_SECONDS"}) {
      assertTrue(out.toString().contains(env), env + " missing from --help");
    }
  }
}
