package dev.distribank.cli.top;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;

/**
 * {@code top}'s whole-terminal view: the terminal's alternate screen (what was on it comes back afterwards), the
 * cursor hidden, keys read one at a time without echo. {@link #close} puts all of that back, and runs on Ctrl-C, on
 * 'q' and, through a shutdown hook, when the process is told to stop.
 */
final class FullScreen implements AutoCloseable {
  // xterm's private modes, which every terminal emulator in use understands.
  private static final String ENTER = "\033[?1049h\033[?25l";
  private static final String LEAVE = "\033[?25h\033[?1049l";
  private static final String HOME = "\033[H";
  private static final String CLEAR_TO_END_OF_LINE = "\033[K";
  private static final String CLEAR_TO_END_OF_SCREEN = "\033[J";
  private static final int CTRL_C = 3;
  private static final int CTRL_D = 4;

  private final Terminal terminal;
  private final Attributes saved;
  private final SignalHandler savedInterrupt;
  private final AtomicBoolean quit = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread restoreOnExit = new Thread(this::restore, "top-restore-terminal");

  FullScreen(Terminal terminal) {
    this.terminal = terminal;
    this.saved = terminal.enterRawMode();
    // Ctrl-C may still arrive as a signal (the terminal keeps ISIG): make it end top, not the process (or the shell).
    this.savedInterrupt = terminal.handle(Signal.INT, signal -> quit.set(true));
    Runtime.getRuntime().addShutdownHook(restoreOnExit);
    terminal.writer().print(ENTER);
    terminal.flush();
  }

  /** Draws {@code frame} over the previous one, cut to the terminal's size. */
  void show(String frame) {
    Size size = terminal.getSize();
    int columns = size.getColumns() > 0 ? size.getColumns() : 200;
    int rows = size.getRows() > 0 ? size.getRows() : 50;
    StringBuilder screen = new StringBuilder(HOME);
    String[] lines = (frame + "\nq or Ctrl-C: quit").split("\n", -1);
    for (int i = 0; i < lines.length && i < rows; i++) {
      String line = lines[i];
      screen.append(line.length() > columns ? line.substring(0, columns) : line).append(CLEAR_TO_END_OF_LINE);
      if (i + 1 < lines.length && i + 1 < rows) {
        screen.append("\r\n");
      }
    }
    screen.append(CLEAR_TO_END_OF_SCREEN);
    PrintWriter out = terminal.writer();
    out.print(screen);
    out.flush();
  }

  /**
   * Waits up to {@code millis} for the next refresh, reading keys meanwhile; true when the user asked to quit ('q',
   * Ctrl-C, Ctrl-D, or the input closed).
   */
  boolean waitForQuit(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!quit.get()) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      int key;
      try {
        key = terminal.reader().read(left);
      } catch (IOException e) {
        key = -1; // the input is gone (a closed pipe, a hung-up terminal): nobody is left to press 'q'
      }
      if (key == 'q' || key == 'Q' || key == CTRL_C || key == CTRL_D || key == -1) {
        quit.set(true);
      }
    }
    return true;
  }

  @Override
  public void close() {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreOnExit);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down, and the hook has run or is running: nothing to remove.
    }
  }

  private void restore() {
    if (closed.compareAndSet(false, true)) {
      terminal.writer().print(LEAVE);
      terminal.flush();
      terminal.setAttributes(saved);
      terminal.handle(Signal.INT, savedInterrupt);
    }
  }
}
