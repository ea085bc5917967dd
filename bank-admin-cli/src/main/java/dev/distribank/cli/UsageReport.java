package dev.distribank.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a wrong command line in a few lines on stderr and exits 2: what is wrong, "did you mean" suggestions for a
 * mistyped name, and where the help is. A command group given no subcommand prints its list of subcommands instead,
 * since that list is the answer to the mistake.
 */
final class UsageReport implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("error: " + e.getMessage());
    if (!UnmatchedArgumentException.printSuggestions(e, err)) {
      if (!command.getSubcommands().isEmpty() && !(command.getCommand() instanceof Callable<?>)) {
        command.usage(err);
      } else {
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
      }
    }
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }
}
