package dev.distribank.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The options every command that calls a bank shares — which node, as whom, how long to wait, and how to print the
 * answer — as a mixin each such command holds, so that it can {@link #connect()} and {@link #print} without caring
 * where on the command line the user put them.
 *
 * <p>The options themselves are declared once, in {@link Values}, which only the root command mixes in, with picocli's
 * {@code scope = ScopeType.INHERIT}: picocli then accepts them on the root <em>and</em> on every subcommand at any
 * depth ({@code bank-admin --target H:P health} and {@code bank-admin health --target H:P} alike), and whichever
 * position the user chose, the value lands in the root's one {@link Values} instance. Declaring them again in this
 * mixin would clash with the inherited copies, so this class only reads them back. Nothing here is static: every
 * {@link BankAdmin#commandLine()} has its own instances.
 */
// @Command with no attributes: picocli accepts as a mixin only a class with some picocli annotation, and this one's
// options live in Values. It adds nothing to the usage of the commands that mix it in.
@Command
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

  /** The global options' values: mixed into the root command only, inherited by every subcommand. */
  static final class Values {
    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "${env:BANK_TARGET:-127.0.0.1:7001}",
        scope = ScopeType.INHERIT,
        description = "The bank node to call (env BANK_TARGET). Default: ${DEFAULT-VALUE}.")
    private String target;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:BANK_TOKEN}",
        showDefaultValue = Visibility.NEVER, scope = ScopeType.INHERIT,
        description = "Bearer token to send (env BANK_TOKEN): the one `login` prints, or the node's admin token for"
            + " `admin`, `audit` and `cluster` commands.")
    private String token;

    @Option(names = "--tls", defaultValue = "${env:BANK_TLS:-false}", scope = ScopeType.INHERIT,
        description = "Speak TLS to the node, trusting the system's CAs unless --ca-cert is given (env BANK_TLS).")
    private boolean tls;

    @Option(names = "--ca-cert", paramLabel = "FILE", defaultValue = "${env:BANK_CA_CERT:-}",
        showDefaultValue = Visibility.NEVER, scope = ScopeType.INHERIT,
        description = "Trust the CA in this PEM file (the consortium's ca.pem from `bank-admin pki init`); implies "
            + "--tls (env BANK_CA_CERT).")
    private String caCert;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text", scope = ScopeType.INHERIT,
        description = "Print text for people, or the response as JSON for scripts. Default: text.")
    private Format output;

    @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "30", scope = ScopeType.INHERIT,
        description = "Give up on a call after this many seconds. Default: ${DEFAULT-VALUE}.")
    private long timeoutSeconds;
  }

  /**
   * Opens a channel to {@code --target}, repeating the calls {@link RetryPolicy#STANDARD} names; the caller closes it.
   * Refuses unusable options as usage errors.
   */
  BankConnection connect() {
    String target = values().target;
    if (target == null || target.isBlank()) {
      throw usage("--target must be HOST:PORT, e.g. 127.0.0.1:7001");
    }
    long timeoutSeconds = timeoutSeconds();
    return BankConnection.open(target.strip(), bearer(), timeoutSeconds, credentials(), RetryPolicy.STANDARD);
  }

  /**
   * How to reach the nodes: TLS trusting {@code --ca-cert} (or the system's CAs with bare {@code --tls}), else
   * plaintext. A CA file that does not load is a usage error naming it.
   */
  public ChannelCredentials credentials() {
    String ca = values().caCert == null ? "" : values().caCert.strip();
    if (ca.isEmpty()) {
      return values().tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder().trustManager(new File(ca)).build();
    } catch (IOException | RuntimeException e) {
      throw usage("--ca-cert: cannot read a CA certificate from " + ca + " (" + e.getMessage() + ")");
    }
  }

  /** Whether calls go over TLS. */
  boolean tls() {
    return values().tls || (values().caCert != null && !values().caCert.isBlank());
  }

  /**
   * Makes the command's call on a new connection to {@code --target} and returns the answer; the connection is closed
   * either way, and a refusal propagates as the call's exception for {@link FailureReport} to describe.
   */
  public <R> R call(Function<BankConnection, R> rpc) {
    try (BankConnection bank = connect()) {
      return rpc.apply(bank);
    }
  }

  /** Prints {@code message} as JSON with {@code --output json}, else the text {@code text} writes. */
  public void print(MessageOrBuilder message, Consumer<PrintWriter> text) {
    PrintWriter out = out();
    if (json()) {
      out.println(toJson(message));
    } else {
      text.accept(out);
    }
    out.flush();
  }

  /** A message in protobuf's canonical JSON, as {@code --output json} prints it. */
  private static String toJson(MessageOrBuilder message) {
    try {
      return JSON.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only an Any of an unknown type fails to print, and no bank.v1 response carries one.
      throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
    }
  }

  String target() {
    return values().target;
  }

  boolean hasToken() {
    return !bearer().isEmpty();
  }

  /** The token to send, stripped, or "" for none. Refuses one gRPC metadata cannot carry as a usage error. */
  public String bearer() {
    String token = values().token;
    String bearer = token == null ? "" : token.strip();
    // gRPC metadata is ASCII; refuse here rather than fail inside the call with a less helpful message.
    if (!bearer.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw usage("--token must be printable ASCII without spaces, as `login` prints it");
    }
    return bearer;
  }

  /** The deadline of each call, {@code --timeout-seconds}. Refuses one under a second as a usage error. */
  public long timeoutSeconds() {
    long timeoutSeconds = values().timeoutSeconds;
    if (timeoutSeconds <= 0) {
      throw usage("--timeout-seconds must be at least 1, not " + timeoutSeconds);
    }
    return timeoutSeconds;
  }

  /** Whether {@code --output json} asks for the answer as JSON. */
  public boolean json() {
    return values().output == Format.JSON;
  }

  /** The command's standard output, where answers go. */
  public PrintWriter out() {
    return command.commandLine().getOut();
  }

  /** The command's standard error, where progress and diagnostics go. */
  public PrintWriter err() {
    return command.commandLine().getErr();
  }

  /** A usage error (exit 2) reported against the command being run, so its help is the one suggested. */
  ParameterException usage(String message) {
    return new ParameterException(command.commandLine(), message);
  }

  private Values values() {
    for (CommandSpec mixin : command.root().mixins().values()) {
      if (mixin.userObject() instanceof Values values) {
        return values;
      }
    }
    throw new IllegalStateException("the root command " + command.root().name() + " does not mix in the global"
        + " options");
  }
}
