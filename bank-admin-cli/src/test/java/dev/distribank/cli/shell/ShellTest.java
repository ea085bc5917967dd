package dev.distribank.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.BankAdmin;
import dev.distribank.cli.Cli;
import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bank-admin shell} driven through a scripted terminal (JLine's dumb terminal over a script of typed lines)
 * against a real node on loopback: what the user sees, what the node was sent, and what the history file keeps.
 */
class ShellTest {
  @TempDir
  static Path dataDir;

  private static BankNode alpha;
  private static BankNode beta;
  private static Cli cli;
  /** Ana's accounts, both holding 100.00. */
  private static String anaFirst;
  private static String anaSecond;
  /** Caio's one account. */
  private static String caioOnly;

  @TempDir
  Path home;

  @BeforeAll
  static void startNodes() throws IOException {
    alpha = BankNode.start(NodeConfig.forTest("alpha", dataDir.resolve("alpha")));
    beta = BankNode.start(NodeConfig.forTest("beta", dataDir.resolve("beta")));
    cli = new Cli(alpha.port());
    String ana = cli.signUp("ana");
    anaFirst = cli.openAccount(ana, "individual");
    anaSecond = cli.openAccount(ana, "individual");
    cli.ok("deposit", "--account", anaFirst, "--amount", "100.00", "--token", ana);
    cli.ok("deposit", "--account", anaSecond, "--amount", "100.00", "--token", ana);
    caioOnly = cli.openAccount(cli.signUp("caio"), "individual");
  }

  @AfterAll
  static void stopNodes() {
    alpha.close();
    beta.close();
  }

  /** What the terminal showed, and the shell's exit code. */
  private record Session(int exitCode, String screen) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- screen ---\n" + screen;
    }
  }

  /** Starts {@code shell} at alpha with {@code args} on a dumb terminal, types {@code lines}, then Ctrl-D. */
  private Session shell(List<String> args, String... lines) throws IOException {
    return shell(false, args, lines);
  }

  /**
   * The same on an xterm, where the line editor echoes, completes on TAB and masks: the screen is returned without
   * its control sequences.
   */
  private Session shellOnXterm(List<String> args, String... lines) throws IOException {
    return shell(true, args, lines);
  }

  private Session shell(boolean xterm, List<String> args, String... lines) throws IOException {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    byte[] script = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    int exit;
    try (var keys = new PipedOutputStream(); var typed = new PipedInputStream(keys, 1 << 16);
        Terminal terminal = xterm
            ? new ExternalTerminal("test", "xterm-256color", typed, screen, StandardCharsets.UTF_8)
            : new DumbTerminal("test", Terminal.TYPE_DUMB, typed, screen, StandardCharsets.UTF_8)) {
      // Typed as if after each prompt, not ahead of the shell: a terminal echoes what is typed before a program
      // reads it, and only what the shell itself shows is under test.
      Attributes attributes = terminal.getAttributes();
      attributes.setLocalFlag(Attributes.LocalFlag.ECHO, false);
      terminal.setAttributes(attributes);
      keys.write(script);
      keys.close();
      List<String> all = new ArrayList<>(List.of("shell", "--target", "127.0.0.1:" + alpha.port(),
          "--history-file", history().toString()));
      all.addAll(args);
      exit = BankAdmin.commandLine(terminal).execute(all.toArray(String[]::new));
    }
    String shown = screen.toString(StandardCharsets.UTF_8).replaceAll("\033(\\[[0-9;?]*[a-zA-Z]|[=>])", "")
        .replace("\r", "");
    return new Session(exit, shown);
  }

  private Path history() {
    return home.resolve("state").resolve("distribank").resolve("bank-admin-history");
  }

  @Test
  void loginThenBalance_withoutRepeatingTheTargetOrTheToken() throws IOException {
    Session s = shell(List.of(),
        "login --login ana --password '" + Cli.PASSWORD + "'",
        "balance --account " + anaFirst,
        "exit");
    assertEquals(0, s.exitCode(), s::toString);
    assertTrue(s.screen().contains("logged in as ana at alpha; the commands that follow send this login"), s::toString);
    assertTrue(s.screen().contains("ana@alpha> "), "the prompt says who and where: " + s);
    assertTrue(s.screen().contains(anaFirst + "  balance 100.00  available 100.00"), s::toString);
    assertFalse(s.screen().contains("\"token\""), "the token is never shown: " + s);
  }

  @Test
  void passwordLeftOut_isAskedUnechoed_andNoSecretReachesTheHistory() throws IOException {
    Session s = shellOnXterm(List.of(),
        "login --login ana",
        Cli.PASSWORD,
        "hunter2-typed-at-the-prompt",
        "account list --token not-a-real-token-123",
        "login --login ana --password='" + Cli.PASSWORD + "'",
        "balance --account " + anaSecond);
    assertEquals(0, s.exitCode(), s::toString);
    assertTrue(s.screen().contains("password: "), s::toString);
    // Once: where it was typed on the command line; where it was asked for, nothing shows.
    assertEquals(1, s.screen().split("horse", -1).length - 1, "the password asked for is not echoed: " + s);
    assertTrue(s.screen().contains("UNAUTHENTICATED"), "the bogus --token was sent, and refused: " + s);
    assertTrue(s.screen().contains(anaSecond + "  balance 100.00"), s::toString);

    String history = Files.readString(history());
    assertFalse(history.contains("correct horse"), history);
    assertFalse(history.contains("not-a-real-token"), history);
    assertFalse(history.contains("hunter2"), "no command, maybe a password: not kept: " + history);
    assertTrue(history.contains("login --login ana\n"), history);
    assertTrue(history.contains("account list --token\n"), history);
    assertTrue(history.contains("login --login ana --password\n"), history);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history())));
  }

  @Test
  void unknownOrFailingCommand_printsTheError_andTheShellGoesOn() throws IOException {
    Session s = shell(List.of(),
        "frobnicate --now",
        "balanse --account " + anaFirst,
        "balance --account " + anaFirst,
        "balance",
        "shell",
        "session");
    assertEquals(0, s.exitCode(), s::toString);
    assertTrue(s.screen().contains("error: unknown command 'frobnicate' ('help' lists the commands, 'exit' leaves)"),
        s::toString);
    assertTrue(s.screen().contains("error: unknown command 'balanse'; did you mean balance?"), s::toString);
    assertTrue(s.screen().contains("UNAUTHENTICATED"), s::toString);
    assertTrue(s.screen().contains("hint: no token was sent; log in first: login --login LOGIN"), s::toString);
    assertTrue(s.screen().contains("Missing required option: '--account=BANK:NUMBER'"), s::toString);
    assertTrue(s.screen().contains("error: this is the shell already"), s::toString);
    assertTrue(s.screen().contains("target           127.0.0.1:" + alpha.port()), "still running: " + s);
  }

  @Test
  void tab_completesTheCustomersOwnAccountIds_fromTheNode() throws IOException {
    Session s = shellOnXterm(List.of(),
        "login --login caio --password '" + Cli.PASSWORD + "'",
        // Caio has one account: "al" + TAB completes all of it.
        "balance --account al\t",
        "exit");
    assertTrue(s.screen().contains(caioOnly + "  balance 0.00  available 0.00"), s::toString);

    Session listed = shellOnXterm(List.of(),
        "login --login ana --password '" + Cli.PASSWORD + "'",
        // Ana has two: TAB twice lists both.
        "balance --account \t\t\u0015",
        "exit");
    assertTrue(listed.screen().contains(anaFirst) && listed.screen().contains(anaSecond), listed::toString);
  }

  @Test
  void anotherTarget_isNeverSentTheLogin() throws IOException {
    Session s = shell(List.of(),
        "login --login ana --password '" + Cli.PASSWORD + "'",
        "--target 127.0.0.1:" + beta.port(),
        "balance --account " + anaFirst);
    assertTrue(s.screen().contains("the login at 127.0.0.1:" + alpha.port() + " is not sent there"), s::toString);
    assertTrue(s.screen().contains("hint: no token was sent"), "beta got no token: " + s);
    assertTrue(s.screen().contains("127.0.0.1:" + beta.port() + "> "), s::toString);
  }

  @Test
  void optionsGivenToShell_areEveryCommandsDefaults() throws IOException {
    Session s = shell(List.of("--output", "json"),
        "login --login ana --password '" + Cli.PASSWORD + "'",
        "balance --account " + anaFirst,
        "balance --account " + anaFirst + " --output text");
    assertTrue(s.screen().contains("\"balanceCents\": \"10000\""), s::toString);
    assertTrue(s.screen().contains(anaFirst + "  balance 100.00"), "a line's own --output wins: " + s);
  }
}
