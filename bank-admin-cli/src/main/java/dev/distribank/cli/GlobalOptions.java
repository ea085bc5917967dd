package dev.distribank.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every command that calls a bank shares, as a picocli mixin: which node, as whom, how long to wait, and
 * how to print the answer. Each command holds its own instance, so nothing here is static or shared between runs.
 */
public final class GlobalOptions {
  /** How a command prints its answer. */
  public enum Format {
    /** Lines and tables for people. */
    TEXT,
    /** The response message in protobuf's canonical JSON, for scripts. */
    JSON
  }

  private static final JsonFormat.Printer JSON = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "${env:BANK_TARGET:-127.0.0.1:7001}",
      description = "The bank node to call (env BANK_TARGET). Default: ${DEFAULT-VALUE}.")
  private String target;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:BANK_TOKEN}",
      showDefaultValue = Visibility.NEVER,
      description = "Bearer token to send (env BANK_TOKEN): the one `login` prints, or the node's admin token for"
          + " `admin` commands.")
  private String token;

  @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
      description = "Print text for people, or the response as JSON for scripts. Default: text.")
  private Format output;

  @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "30",
      description = "Give up on the call after this many seconds. Default: ${DEFAULT-VALUE}.")
  private long timeoutSeconds;

  /** Opens a channel to {@code --target}; the caller closes it. Refuses unusable options as usage errors. */
  BankConnection connect() {
    if (target == null || target.isBlank()) {
      throw usage("--target must be HOST:PORT, e.g. 127.0.0.1:7001");
    }
    if (timeoutSeconds <= 0) {
      throw usage("--timeout-seconds must be at least 1, not " + timeoutSeconds);
    }
    String bearer = token == null ? "" : token.strip();
    // gRPC metadata is ASCII; refuse here rather than fail inside the call with a less helpful message.
    if (!bearer.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw usage("--token must be printable ASCII without spaces, as `login` prints it");
    }
    return BankConnection.open(target.strip(), bearer, timeoutSeconds);
  }

  /** Prints {@code message} as JSON with {@code --output json}, else the text {@code text} writes. */
  void print(MessageOrBuilder message, Consumer<PrintWriter> text) {
    PrintWriter out = command.commandLine().getOut();
    if (output == Format.JSON) {
      try {
        out.println(JSON.print(message));
      } catch (InvalidProtocolBufferException e) {
        // Only an Any of an unknown type fails to print, and no bank.v1 response carries one.
        throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
      }
    } else {
      text.accept(out);
    }
    out.flush();
  }

  String target() {
    return target;
  }

  boolean hasToken() {
    return token != null && !token.isBlank();
  }

  private ParameterException usage(String message) {
    return new ParameterException(command.commandLine(), message);
  }
}
