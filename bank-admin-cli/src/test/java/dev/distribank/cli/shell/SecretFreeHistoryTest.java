package dev.distribank.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretFreeHistoryTest {
  private final SecretFreeHistory history = new SecretFreeHistory(Set.of("--login", "--password", "--token",
      "--account", "--admin-token", "--duration"), Set.of("login", "balance", "load", "customer", "exit"));

  @Test
  void secretValues_areCutOut_inEveryForm() {
    String[][] cases = {
        {"login --login ana --password hunter2", "login --login ana --password"},
        {"login --login ana --password 'two words'", "login --login ana --password"},
        {"login --password=hunter2 --login ana", "login --password --login ana"},
        {"login --password --login ana", "login --password --login ana"},
        {"login --login ana --password -starts-with-a-dash", "login --login ana --password"},
        {"login --login ana --PASSWORD=x", "login --login ana --password"},
        {"balance --account alpha:1 --token abc.def", "balance --account alpha:1 --token"},
        {"load --admin-token s3cr3t --duration 5s", "load --admin-token --duration 5s"},
        {"customer create --name 'Ana Souza' --password", "customer create --name \"Ana Souza\" --password"},
        {"balance --account alpha:1", "balance --account alpha:1"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], history.withoutSecrets(c[0]), c[0]);
    }
  }

  @Test
  void aLineThatDoesNotParse_isNotKept() {
    assertNull(history.withoutSecrets("login --password 'unclosed"));
  }

  @Test
  void aLineThatIsNoCommand_isNotKept_itMayBeAPasswordTypedAtThePrompt() {
    assertNull(history.withoutSecrets("correct horse battery"));
    assertNull(history.withoutSecrets("hunter2"));
    assertEquals("--target 127.0.0.1:7002", history.withoutSecrets("--target 127.0.0.1:7002"));
    assertEquals("exit", history.withoutSecrets("exit"));
  }

  @Test
  void quote_roundTripsThroughTheShellsParser() {
    for (String word : new String[] {"plain", "two words", "", "say \"hi\"", "back\\slash", "it's"}) {
      String line = "x " + SecretFreeHistory.quote(word);
      var words = new org.jline.reader.impl.DefaultParser().parse(line, line.length(),
          org.jline.reader.Parser.ParseContext.ACCEPT_LINE).words();
      assertEquals(word, words.get(1), line);
    }
  }
}
