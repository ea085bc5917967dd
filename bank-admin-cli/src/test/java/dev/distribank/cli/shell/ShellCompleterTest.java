package dev.distribank.cli.shell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.BankAdmin;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

class ShellCompleterTest {
  private final ShellCompleter completer = new ShellCompleter(BankAdmin.commandLine().getCommandSpec(),
      Shell.SHELL_WORDS, () -> List.of("alpha:1001", "alpha:1002"));

  private List<String> candidates(String typed) {
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, new DefaultParser().parse(typed, typed.length(), Parser.ParseContext.COMPLETE),
        candidates);
    return candidates.stream().map(Candidate::value).toList();
  }

  @Test
  void firstWord_commandsAndTheShellsOwn() {
    List<String> c = candidates("");
    assertTrue(c.containsAll(List.of("balance", "transfer", "account", "top", "login", "exit", "session")),
        c::toString);
    assertFalse(c.contains("shell"), "no shell within the shell: " + c);
  }

  @Test
  void subcommandsAndOptions() {
    assertTrue(candidates("account ").containsAll(List.of("open", "list", "show")));
    List<String> options = candidates("balance --");
    assertTrue(options.containsAll(List.of("--account", "--target", "--output", "--help")), options::toString);
  }

  @Test
  void accountIds_afterAccountOptions_andAsALegsSource() {
    assertTrue(candidates("balance --account ").containsAll(List.of("alpha:1001", "alpha:1002")));
    assertTrue(candidates("statement --account=").containsAll(List.of("--account=alpha:1001")));
    assertTrue(candidates("transfer --leg ").containsAll(List.of("alpha:1001,", "alpha:1002,")));
    assertFalse(candidates("transfer --leg alpha:1001,").contains("alpha:1001,"));
  }
}
