package dev.distribank.cli.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The shell's history, which never holds a password or a token: before a line is kept (in memory and in the history
 * file), the value of every option whose name says it is secret ({@code --password}, {@code --token},
 * {@code --admin-token}) is cut out, so that recalling {@code login --login ana --password} asks for the password
 * again. A line that cannot be split into words is not kept at all.
 */
final class SecretFreeHistory extends DefaultHistory {
  private static final Pattern SECRET = Pattern.compile("--[a-z0-9-]*(password|token|secret)[a-z0-9-]*");

  private final DefaultParser parser = new DefaultParser();
  /** Every option name of bank-admin: the word after a secret option is its value unless it is one of these. */
  private final Set<String> optionNames;
  /** The words a line kept may start with: bank-admin's commands and the shell's own. */
  private final Set<String> commands;

  SecretFreeHistory(Set<String> optionNames, Set<String> commands) {
    this.optionNames = Set.copyOf(optionNames);
    this.commands = Set.copyOf(commands);
    parser.setEofOnUnclosedQuote(true);
  }

  @Override
  public void add(Instant time, String line) {
    String kept = withoutSecrets(line);
    if (kept != null && !kept.isBlank()) {
      super.add(time, kept);
    }
  }

  /** {@code line} with the secret options' values removed and its words re-quoted; null when it does not parse. */
  String withoutSecrets(String line) {
    List<String> words;
    try {
      String trimmed = line.stripTrailing();
      words = parser.parse(trimmed, trimmed.length(), Parser.ParseContext.ACCEPT_LINE).words();
    } catch (RuntimeException e) {
      return null; // an unclosed quote, say: keeping it could keep a secret whose option was not recognised
    }
    if (words.isEmpty() || !(commands.contains(words.getFirst()) || words.getFirst().startsWith("--"))) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      int eq = word.indexOf('=');
      String name = (eq < 0 ? word : word.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (!SECRET.matcher(name).matches()) {
        kept.add(quote(word));
        continue;
      }
      kept.add(name);
      boolean valueFollows = eq < 0 && i + 1 < words.size() && !optionNames.contains(words.get(i + 1))
          && !words.get(i + 1).equals("--");
      if (valueFollows) {
        i++;
      }
    }
    return String.join(" ", kept);
  }

  /** The word as the shell's parser reads it back: bare when it can be, else in double quotes. */
  static String quote(String word) {
    if (!word.isEmpty() && word.chars().noneMatch(c -> Character.isWhitespace(c) || "'\"\\".indexOf(c) >= 0)) {
      return word;
    }
    return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
