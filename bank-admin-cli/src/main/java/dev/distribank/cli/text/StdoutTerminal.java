package dev.distribank.cli.text;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether this process's standard output is an interactive terminal, on every JDK from 21 on. */
public final class StdoutTerminal {
  private StdoutTerminal() {}

  /**
   * {@link System#console()} answers that on Java 21; from Java 22 it may return a console even when redirected, and
   * {@code Console.isTerminal()} (looked up reflectively, since this code compiles for 21) tells the difference.
   */
  public static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
