package dev.distribank.cli.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * What {@code bank-admin shell} remembers between its commands: the global options given once (which node, how to
 * trust it, how long to wait, and — given when the shell starts — how to print), and the login's token. They reach
 * each command as its options' defaults, so a command line that names one of them itself still wins.
 *
 * <p>The token is only ever sent to the node it came from: naming another {@code --target} drops it (unless that
 * same line gives {@code --token}).
 */
final class Session {
  /** The options that stick when given on any line: where to connect and as whom. */
  static final Set<String> CONNECTION = Set.of("--target", "--tls", "--ca-cert", "--timeout-seconds", "--token");
  /** Given to {@code shell} itself, this one sticks too; on a line, it is that line's alone. */
  static final String OUTPUT = "--output";

  private final Map<String, String> remembered = new LinkedHashMap<>();
  /** The login's name and bank, for the prompt; "" when not logged in (a --token may still be remembered). */
  private String login = "";
  private String bank = "";
  private String target;

  /** A session whose commands call {@code target} (the effective --target: option, BANK_TARGET or default). */
  Session(String target) {
    this.target = target;
  }

  /** The remembered values as defaults: picocli asks this before an option's own default. */
  IDefaultValueProvider defaults() {
    return this::defaultValue;
  }

  private String defaultValue(ArgSpec arg) {
    return arg instanceof OptionSpec option ? remembered.get(option.longestName()) : null;
  }

  /**
   * Takes in the global options a parsed line (or, with {@code atStart}, the {@code shell} command line) gave, and
   * returns what changed for the user to read. Call it before the line runs, so that a new target never receives
   * the old target's token.
   */
  List<String> absorb(ParseResult line, boolean atStart) {
    Map<String, String> given = new LinkedHashMap<>();
    for (ParseResult level = line; level != null; level = level.subcommand()) {
      for (OptionSpec option : level.matchedOptions()) {
        String name = option.longestName();
        boolean sticks = CONNECTION.contains(name) || (atStart && OUTPUT.equals(name));
        if (sticks && !option.originalStringValues().isEmpty()) {
          given.put(name, option.originalStringValues().getLast());
        } else if (sticks && option.arity().max() == 0) {
          given.put(name, "true"); // a flag: --tls
        }
      }
    }
    List<String> notes = new ArrayList<>();
    String newTarget = given.get("--target");
    if (newTarget != null && !newTarget.strip().equals(target)) {
      if (hasToken() && !given.containsKey("--token")) {
        notes.add("target is now " + newTarget.strip() + "; the login at " + target + " is not sent there (log in"
            + " again, or go back with --target " + target + ")");
        forgetLogin();
      } else if (!atStart) {
        notes.add("target is now " + newTarget.strip());
      }
      target = newTarget.strip();
    }
    if (given.containsKey("--token") && !atStart) {
      login = "";
      bank = "";
      notes.add("this shell now sends the --token given");
    }
    remembered.putAll(given);
    return notes;
  }

  /** After {@code login}: its token goes with every later command to this target. */
  void loggedIn(String login, String bank, String token) {
    this.login = Objects.requireNonNull(login);
    this.bank = Objects.requireNonNull(bank);
    remembered.put("--token", token);
  }

  /** After {@code logout}, or a move to another target: no token is sent any more. */
  void forgetLogin() {
    login = "";
    bank = "";
    remembered.remove("--token");
  }

  boolean hasToken() {
    String token = remembered.get("--token");
    return token != null && !token.isBlank();
  }

  /** The token the next command sends, or null: for the shell's own calls (completing account ids). */
  String token() {
    return hasToken() ? remembered.get("--token") : null;
  }

  String target() {
    return target;
  }

  /** "ana@alpha> " when logged in, else the target: "127.0.0.1:7001> ", "(token) 127.0.0.1:7001> ". */
  String prompt() {
    if (!login.isEmpty()) {
      return login + "@" + bank + "> ";
    }
    return (hasToken() ? "(token) " : "") + target + "> ";
  }

  /** The session in a few lines, never the token itself. */
  List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("target           " + target);
    String ca = remembered.getOrDefault("--ca-cert", "");
    boolean tls = "true".equals(remembered.get("--tls")) || !ca.isBlank();
    lines.add("tls              " + (ca.isBlank() ? (tls ? "yes, the system's CAs" : "as BANK_CA_CERT/BANK_TLS say")
        : "yes, trusting " + ca));
    if (remembered.containsKey("--timeout-seconds")) {
      lines.add("timeout-seconds  " + remembered.get("--timeout-seconds"));
    }
    if (remembered.containsKey(OUTPUT)) {
      lines.add("output           " + remembered.get(OUTPUT));
    }
    lines.add("login            " + (!login.isEmpty() ? login + " at " + bank + " (token kept, not shown)"
        : hasToken() ? "the --token given (not shown)" : "none; log in with: login --login LOGIN"));
    return lines;
  }
}
