package dev.distribank.cli.shell;

import dev.distribank.cli.BankAdmin;
import dev.distribank.cli.GlobalOptions;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bank-admin shell}: every bank-admin command at a prompt, with the target and the login given once. */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = {"An interactive shell: type bank-admin's commands without 'bank-admin'.",
        "The target and how to reach it (--target, --tls, --ca-cert, --timeout-seconds, --token) are remembered from"
            + " the shell's own command line or from any line that gives them, and 'login' keeps its token for the"
            + " commands that follow (it is never printed, and never sent to another --target). A line of only"
            + " options sets them; 'session' shows what is remembered.",
        "TAB completes commands, options, and the logged-in customer's account ids after --account and --leg. A"
            + " password left out ('login --login ana') is asked for, unechoed. History is kept in --history-file,"
            + " with every password and token cut out. A failing command prints its error and the shell goes on;"
            + " 'exit', 'quit' or Ctrl-D leave, Ctrl-C drops the line (or cancels the command running)."},
    footerHeading = "%nExample:%n",
    footer = {"  $ bank-admin shell --ca-cert data/pki/ca.pem",
        "  127.0.0.1:7001> login --login ana",
        "  password:",
        "  logged in as ana at alpha; the commands that follow send this login (logout",
        "  ends it)",
        "  ana@alpha> balance --account <TAB>",
        "  ana@alpha> transfer --leg alpha:1001,beta:pix:bia@example.com,12.34",
        "  ana@alpha> logout"})
public final class ShellCommand implements Callable<Integer> {
  @Mixin
  private GlobalOptions global;

  @Spec
  private CommandSpec spec;

  @Option(names = "--history-file", paramLabel = "FILE",
      description = "Where the shell keeps its history (created readable by you alone). '' keeps none. Default:"
          + " $XDG_STATE_HOME/distribank/bank-admin-history, else ~/.local/state/distribank/bank-admin-history.")
  private String historyFile;

  @Override
  public Integer call() throws IOException {
    global.bearer(); // refuses a --token that cannot be sent, before the shell starts
    Path history = historyFile();
    if (history != null) {
      prepare(history);
    }
    BankAdmin root = (BankAdmin) spec.root().userObject();
    Object target = spec.root().findOption("--target").getValue(); // the option, BANK_TARGET or the default
    Session session = new Session(String.valueOf(target).strip());
    session.absorb(spec.root().commandLine().getParseResult(), true);
    Terminal given = root.shellTerminal();
    if (given != null) {
      return new Shell(given, session, history).run();
    }
    // dumb(true): with no terminal (input from a pipe, a script) the lines are read plainly, without a warning.
    try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).name("bank-admin").build()) {
      return new Shell(terminal, session, history).run();
    }
  }

  /** The history file asked for, the default one, or null for none. */
  private Path historyFile() {
    if (historyFile != null) {
      return historyFile.isBlank() ? null : Path.of(historyFile);
    }
    String state = System.getenv("XDG_STATE_HOME");
    Path base = state != null && !state.isBlank() ? Path.of(state)
        : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("distribank").resolve("bank-admin-history");
  }

  /**
   * Makes the history's folder and an empty file, readable by the user alone where the file system has POSIX
   * permissions: it holds no secret, but it does hold account numbers and logins.
   */
  private void prepare(Path history) {
    try {
      Path folder = history.toAbsolutePath().getParent();
      if (folder != null && !Files.isDirectory(folder)) {
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
            "rwx------")));
      }
      Files.createFile(history, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // Kept from an earlier shell: it is read, and added to.
    } catch (UnsupportedOperationException e) {
      // No POSIX permissions here (Windows): the file is made as any other, on its first save.
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--history-file: cannot create " + history + " ("
          + e.getMessage() + "); give another file, or '' for none");
    }
  }
}
