package dev.distribank.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The paging options of list commands (AIP-158), as a mixin: {@code --limit} and {@code --page-token}. */
public final class Paging {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(names = "--limit", paramLabel = "N",
      description = "At most this many items (1 to 1000). Default: the bank's page size.")
  private Integer limit;

  @Option(names = "--page-token", paramLabel = "TOKEN",
      description = "Continue where the previous page ended (its output names the token).")
  private String pageToken;

  /** The page size to send: 0 asks for the bank's default. */
  public int pageSize() {
    if (limit == null) {
      return 0;
    }
    if (limit < 1 || limit > 1000) {
      throw new ParameterException(command.commandLine(), "--limit must be between 1 and 1000, not " + limit);
    }
    return limit;
  }

  /** The page token to send: "" asks for the first page. */
  public String pageToken() {
    return pageToken == null ? "" : pageToken;
  }

  /** Tells how to ask for the next page, when there is one. */
  public void printNext(PrintWriter out, String nextPageToken) {
    if (!nextPageToken.isEmpty()) {
      out.println("more: repeat with --page-token " + nextPageToken);
    }
  }
}
