package dev.distribank.cli.shell;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.distribank.cli.BankAdmin;
import dev.distribank.proto.bank.v1.Account;
import dev.distribank.proto.bank.v1.ListAccountsResponse;
import dev.distribank.proto.bank.v1.LoginResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The read–run loop of {@code bank-admin shell}: each line is a bank-admin command line without the
 * {@code bank-admin}, run in-process on a fresh command line whose defaults are the {@link Session}'s. A failing
 * command prints its error and the loop goes on; {@code exit}, {@code quit} or Ctrl-D end it, Ctrl-C drops the line
 * being typed (or cancels the command running).
 */
final class Shell {
  /** The shell's own commands, beside bank-admin's. */
  static final List<String> SHELL_WORDS = List.of("exit", "quit", "session");
  private static final char HIDDEN = 0; // JLine's mask for "echo nothing at all"
  private static final long ACCOUNT_LIST_SECONDS = 3;
  private static final Pattern ACCOUNT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}:[0-9]{1,19}");
  private static final Pattern QUOTED_VALUE = Pattern.compile("(--[A-Za-z0-9-]+=)(['\"])(.*)\\2", Pattern.DOTALL);

  private final Terminal terminal;
  private final Session session;
  private final Path historyFile;
  private final PrintWriter out;
  private final Set<String> optionNames;
  private final Set<String> commandNames;
  /** The logged-in customer's account ids for TAB, fetched once per command run; null until fetched. */
  private List<String> accounts;

  /** @param historyFile where history is kept between shells, or null for this shell's memory only */
  Shell(Terminal terminal, Session session, Path historyFile) {
    this.terminal = terminal;
    this.session = session;
    this.historyFile = historyFile;
    this.out = terminal.writer();
    CommandLine tree = BankAdmin.commandLine();
    this.optionNames = optionNames(tree);
    this.commandNames = Set.copyOf(tree.getSubcommands().keySet());
  }

  /** Reads and runs lines until exit; returns the shell's exit code. */
  int run() {
    DefaultParser parser = new DefaultParser();
    parser.setEofOnUnclosedQuote(true); // an open quote continues on the next line, as in bash
    Set<String> commands = new HashSet<>(commandNames);
    commands.addAll(SHELL_WORDS);
    SecretFreeHistory history = new SecretFreeHistory(optionNames, commands);
    LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("bank-admin").parser(parser)
        .history(history)
        .completer(new ShellCompleter(BankAdmin.commandLine().getCommandSpec(), SHELL_WORDS, this::accounts))
        // "!" is history expansion in JLine, as in bash; in a password or a name it must stay a "!".
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
    if (historyFile != null) {
      builder.variable(LineReader.HISTORY_FILE, historyFile);
    }
    LineReader reader = builder.build();
    out.println("bank-admin shell: bank-admin's commands without 'bank-admin'. 'help' lists them, TAB completes,");
    out.println("'session' shows the target and login, 'exit' or Ctrl-D leaves.");
    out.flush();
    while (true) {
      String line;
      try {
        line = reader.readLine(session.prompt());
      } catch (UserInterruptException e) {
        continue; // Ctrl-C: the line typed so far is dropped
      } catch (EndOfFileException e) {
        break;
      }
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!runLine(reader, words(parser, trimmed))) {
        break;
      }
    }
    try {
      history.save();
    } catch (IOException e) {
      out.println("warning: could not save the history to " + historyFile + ": " + e.getMessage());
    }
    out.flush();
    return 0;
  }

  /**
   * The line's words as bash would split them. JLine's parser already does, but for {@code --name='Ana Souza'}: a
   * quote after {@code =} keeps its quotes there, which bash would remove.
   */
  static List<String> words(DefaultParser parser, String line) {
    List<String> words = new ArrayList<>();
    for (String word : parser.parse(line, line.length(), DefaultParser.ParseContext.ACCEPT_LINE).words()) {
      Matcher quoted = QUOTED_VALUE.matcher(word);
      if (quoted.matches()) {
        String value = quoted.group(3);
        word = quoted.group(1) + (quoted.group(2).equals("\"") ? value.replaceAll("\\\\(.)", "$1") : value);
      }
      words.add(word);
    }
    return words;
  }

  /** Runs one line; false when it asks to leave. */
  private boolean runLine(LineReader reader, List<String> words) {
    String first = words.getFirst();
    switch (first) {
      case "exit", "quit" -> {
        return false;
      }
      case "session" -> {
        session.describe().forEach(out::println);
        out.flush();
        return true;
      }
      case "shell" -> {
        fail("this is the shell already; 'exit' leaves it");
        return true;
      }
      default -> { }
    }
    if (!first.startsWith("-") && !commandNames.contains(first)) {
      unknown(first);
      return true;
    }
    List<String> args = withPasswordAsked(reader, words);
    if (args == null) {
      return true;
    }
    // Parse before running, so that a new --target is known before the remembered token could be sent to it.
    ParseResult parsed = null;
    try {
      CommandLine probe = commandLine(session.defaults(), new PrintWriter(new StringWriter()));
      parsed = probe.parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      // The run below reports it, as bank-admin would.
    }
    if (parsed != null) {
      session.absorb(parsed, false).forEach(out::println);
      if (!parsed.hasSubcommand() && !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()) {
        session.describe().forEach(out::println); // only options: they are remembered, nothing to run
        out.flush();
        return true;
      }
    }
    accounts = null;
    String command = parsed != null && parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : first;
    boolean help = parsed != null && parsed.hasSubcommand() && parsed.subcommand().isUsageHelpRequested();
    if (command.equals("login") && !help) {
      login(args, parsed);
    } else {
      execute(args, session.defaults(), out);
      if (command.equals("logout") && !help) {
        // Whatever the node said (an expired token, a node down), this shell sends the token no more.
        session.forgetLogin();
        out.println("(this shell has forgotten the login)");
      }
    }
    out.flush();
    return true;
  }

  /**
   * Runs {@code login} with its answer kept from the screen: the shell keeps the token and says who logged in, and a
   * token printed on a terminal is one in its scrollback.
   */
  private void login(List<String> args, ParseResult parsed) {
    StringWriter answer = new StringWriter();
    IDefaultValueProvider defaults = session.defaults();
    IDefaultValueProvider asJson = arg -> arg instanceof OptionSpec o && o.longestName().equals("--output")
        ? "json" : defaults.defaultValue(arg);
    if (execute(args, asJson, new PrintWriter(answer)) != 0 || parsed == null) {
      return;
    }
    String text = answer.toString().strip();
    String login = parsed.subcommand().matchedOptionValue("--login", "");
    String bank = "";
    String token = text;
    if (text.startsWith("{")) {
      try {
        LoginResponse.Builder response = LoginResponse.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(text, response);
        token = response.getToken();
        login = response.getCustomer().getLogin().isEmpty() ? login : response.getCustomer().getLogin();
        bank = response.getCustomer().getBank();
      } catch (InvalidProtocolBufferException e) {
        fail("login answered, but not as expected; nothing kept");
        return;
      }
    }
    session.loggedIn(login, bank.isEmpty() ? session.target() : bank, token);
    out.println("logged in as " + login + (bank.isEmpty() ? "" : " at " + bank)
        + "; the commands that follow send this login (logout ends it)");
  }

  /** Runs one bank-admin command line; Ctrl-C meanwhile interrupts it rather than ending the shell. */
  private int execute(List<String> args, IDefaultValueProvider defaults, PrintWriter stdout) {
    CommandLine command = commandLine(defaults, stdout);
    Thread running = Thread.currentThread();
    SignalHandler before = terminal.handle(Signal.INT, signal -> running.interrupt());
    try {
      return command.execute(args.toArray(String[]::new));
    } finally {
      terminal.handle(Signal.INT, before);
      Thread.interrupted(); // an interrupt that came as the command ended must not hit the next one
      stdout.flush();
      out.flush();
    }
  }

  private CommandLine commandLine(IDefaultValueProvider defaults, PrintWriter stdout) {
    return BankAdmin.commandLine(terminal).setDefaultValueProvider(defaults).setOut(stdout).setErr(out);
  }

  /**
   * The line's words with any password it lacks asked for, unechoed and kept out of the history: after a bare
   * {@code --password}, and for a {@code login} without one. Null when the user gave up (Ctrl-C, Ctrl-D).
   */
  private List<String> withPasswordAsked(LineReader reader, List<String> words) {
    List<String> args = new ArrayList<>(words);
    if (args.contains("--help") || args.contains("-h")) {
      return args;
    }
    if (args.getFirst().equals("login")
        && args.stream().noneMatch(a -> a.equals("--password") || a.startsWith("--password="))) {
      args.add("--password");
    }
    for (int i = 0; i < args.size(); i++) {
      boolean bare = args.get(i).equals("--password")
          && (i + 1 == args.size() || optionNames.contains(args.get(i + 1)));
      if (bare) {
        String password = askPassword(reader);
        if (password == null) {
          return null;
        }
        args.add(i + 1, password);
      }
    }
    return args;
  }

  private String askPassword(LineReader reader) {
    reader.setVariable(LineReader.DISABLE_HISTORY, true);
    try {
      return reader.readLine("password: ", HIDDEN);
    } catch (UserInterruptException | EndOfFileException e) {
      fail("no password given; nothing was sent");
      return null;
    } finally {
      reader.setVariable(LineReader.DISABLE_HISTORY, false);
    }
  }

  /** The logged-in customer's account ids, for TAB; none when not logged in or when the node does not answer. */
  private List<String> accounts() {
    if (accounts != null) {
      return accounts;
    }
    accounts = List.of();
    if (!session.hasToken()) {
      return accounts;
    }
    StringWriter json = new StringWriter();
    StringWriter ignored = new StringWriter();
    int exit = BankAdmin.commandLine(terminal).setDefaultValueProvider(session.defaults())
        .setOut(new PrintWriter(json)).setErr(new PrintWriter(ignored))
        .execute("account", "list", "--output", "json", "--timeout-seconds", Long.toString(ACCOUNT_LIST_SECONDS));
    if (exit == 0) {
      try {
        ListAccountsResponse.Builder response = ListAccountsResponse.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(json.toString(), response);
        // Only ids that look like ids reach the completion list, which the terminal prints as it is.
        accounts = response.getAccountsList().stream().map(Account::getAccount)
            .filter(id -> ACCOUNT_ID.matcher(id).matches()).toList();
      } catch (InvalidProtocolBufferException e) {
        // Not what `account list --output json` prints: offer nothing rather than guess.
      }
    }
    return accounts;
  }

  private void unknown(String word) {
    List<String> near = new ArrayList<>();
    for (String name : commandNames) {
      if (name.startsWith(word) || word.startsWith(name) || distance(word, name) <= 2) {
        near.add(name);
      }
    }
    fail("unknown command '" + word + "'" + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ",
        near.stream().sorted().toList()) + "?") + " ('help' lists the commands, 'exit' leaves)");
  }

  /** Levenshtein distance: a typo or two away from a command is worth suggesting it. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private void fail(String message) {
    out.println("error: " + message);
    out.flush();
  }

  private static Set<String> optionNames(CommandLine command) {
    Set<String> names = new HashSet<>();
    for (OptionSpec option : command.getCommandSpec().options()) {
      names.addAll(List.of(option.names()));
    }
    command.getSubcommands().values().forEach(sub -> names.addAll(optionNames(sub)));
    return names;
  }
}
