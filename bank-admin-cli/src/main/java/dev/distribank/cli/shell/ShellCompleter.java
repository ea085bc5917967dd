package dev.distribank.cli.shell;

import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * TAB in the shell: the commands, subcommands and options picocli knows (and the shell's own words), and where an
 * account goes ({@code --account}, the first part of {@code --leg}) the logged-in customer's own account ids.
 */
final class ShellCompleter implements Completer {
  private final Completer commands;
  private final List<String> shellWords;
  private final Supplier<List<String>> accounts;

  /**
   * @param spec bank-admin's command tree
   * @param shellWords the shell's own commands (exit, session ...), offered as a line's first word
   * @param accounts the customer's account ids, asked for only when one is to be completed
   */
  ShellCompleter(CommandSpec spec, List<String> shellWords, Supplier<List<String>> accounts) {
    this.commands = new PicocliJLineCompleter(spec);
    this.shellWords = List.copyOf(shellWords);
    this.accounts = accounts;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    int index = line.wordIndex();
    String word = line.word();
    String previous = index > 0 && index <= line.words().size() ? line.words().get(index - 1) : "";
    if (previous.equals("--account")) {
      accounts.get().forEach(id -> candidates.add(new Candidate(id)));
    } else if (word.startsWith("--account=")) {
      accounts.get().forEach(id -> candidates.add(new Candidate("--account=" + id)));
    } else if (previous.equals("--leg") && !word.contains(",")) {
      // FROM,TO,AMOUNT: complete FROM and leave the cursor after its comma, with no space, for the rest.
      accounts.get().forEach(id -> candidates.add(new Candidate(id + ",", id + ",", null, null, null, null, false)));
    } else {
      commands.complete(reader, line, candidates);
      if (index == 0) {
        candidates.removeIf(c -> c.value().equals("shell")); // the shell is where the user is already
        shellWords.forEach(w -> candidates.add(new Candidate(w)));
      }
    }
  }
}
