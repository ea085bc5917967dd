package dev.distribank.cli;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one place where a failed command becomes a message on stderr and exit code 1.
 *
 * <p>A refusal by the bank reads {@code error: REASON: message (CODE)}, the reason taken from the status's
 * {@code google.rpc.ErrorInfo} (AIP-193), followed by its metadata and any {@code google.rpc.BadRequest} field
 * violations. A hint follows when the fix is on the caller's side (no token, no node at the target, an unknown
 * outcome worth retrying). Anything else is a bug in this tool and is printed with its stack trace.
 */
public final class FailureReport implements IExecutionExceptionHandler {

  /** A command that sends a request id, so a failed call can be retried without applying twice. */
  public interface Idempotent {
    /** The request id the command sent, or "" when the request ids are not the command's (a file's transfers). */
    String requestId();
  }

  /** A command that calls the nodes of its own option rather than --target's, so a hint must name those. */
  public interface Targets {
    /** The nodes called and the option that names them, e.g. "alpha=127.0.0.1:7001 (--targets)". */
    String describeTargets();
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (e instanceof StatusRuntimeException || e instanceof StatusException) {
      describe(err, e);
      hint(err, Status.fromThrowable(e), command);
    } else {
      err.println("error: unexpected failure of bank-admin itself: " + e);
      e.printStackTrace(err);
    }
    err.flush();
    return command.getCommandSpec().exitCodeOnExecutionException();
  }

  private static void describe(PrintWriter err, Throwable e) {
    StatusDetails details = StatusDetails.of(e);
    Status status = details.status();
    String reason = details.reason().isEmpty() ? "" : details.reason() + ": ";
    err.println("error: " + reason + message(status) + " (" + status.getCode() + ")");
    new TreeMap<>(details.errorInfo().getMetadataMap()).forEach((key, value) -> err.println("  " + key + ": " + value));
    for (BadRequest.FieldViolation v : details.badRequest().getFieldViolationsList()) {
      // The bank often repeats the status message here; name the field without saying it twice.
      boolean repeated = v.getDescription().isEmpty() || v.getDescription().equals(status.getDescription());
      err.println("  field " + v.getField() + (repeated ? "" : ": " + v.getDescription()));
    }
    details.unreadable().forEach(type -> err.println("  (unreadable error detail " + type + ")"));
  }

  /** The messages of {@code t} and its causes, for matching what a failed connection says. */
  private static String causes(Throwable t) {
    var out = new StringBuilder();
    for (Throwable c = t; c != null && out.length() < 4_000; c = c.getCause()) {
      out.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(' ');
    }
    return out.toString();
  }

  /** The status's description, with the underlying cause when the description alone says little ("io exception"). */
  private static String message(Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null) {
      return description.isEmpty() ? cause.getMessage() : description + ": " + cause.getMessage();
    }
    return description.isEmpty() ? "no message" : description;
  }

  private static void hint(PrintWriter err, Status status, CommandLine command) {
    GlobalOptions options = command.getCommandSpec().mixins().values().stream()
        .map(CommandSpec::userObject).filter(GlobalOptions.class::isInstance).map(GlobalOptions.class::cast)
        .findFirst().orElse(null);
    switch (status.getCode()) {
      case UNAUTHENTICATED -> {
        boolean inShell = command.getCommandSpec().root().userObject() instanceof BankAdmin root
            && root.shellTerminal() != null;
        if (options != null && !options.hasToken()) {
          err.println(inShell ? "hint: no token was sent; log in first: login --login LOGIN"
              : "hint: no token was sent; log in first:"
              + " export BANK_TOKEN=$(bank-admin login --login LOGIN --password PASSWORD), or pass --token");
        }
      }
      case UNAVAILABLE -> {
        String why = String.valueOf(status.getDescription()) + " " + causes(status.getCause());
        if (options != null && why.contains("CERTIFICATE_REQUIRED")) {
          err.println("hint: " + options.target() + " asks for a client certificate: it is a bank's peer port, for "
              + "the other banks only; clients call its public port (make run: 7001-7004)");
        } else if (options != null && !options.tls() && (why.contains("Network closed for unknown reason")
            || why.contains("Connection reset by peer"))) {
          // A TLS node drops a plaintext client's connection at its first bytes: with a FIN when it had read them all,
          // with a reset when some were still unread, which depends only on how fast they arrived.
          err.println("hint: the node may serve TLS: give --ca-cert FILE (its consortium's ca.pem) or set "
              + "BANK_CA_CERT");
        } else if (options != null && options.tls() && why.matches("(?is).*(not an SSL/TLS record|SSLHandshake"
            + "|handshake|PKIX|certificate).*")) {
          err.println("hint: the TLS handshake failed: does --ca-cert name the CA that signed the node's "
              + "certificate, and does the certificate carry the host in --target? (plaintext node: drop --tls)");
        } else if (status.getCause() != null && command.getCommand() instanceof Targets targets) {
          err.println("hint: is a bank node listening at each of " + targets.describeTargets() + "?");
        } else if (options != null && status.getCause() != null) {
          err.println("hint: is a bank node listening at " + options.target() + "? (set --target or BANK_TARGET)");
        }
      }
      default -> { }
    }
    boolean outcomeUnknown = switch (status.getCode()) {
      case DEADLINE_EXCEEDED, UNAVAILABLE, UNKNOWN, INTERNAL, CANCELLED -> true;
      default -> false;
    };
    if (outcomeUnknown && command.getCommand() instanceof Idempotent idempotent
        && !idempotent.requestId().isEmpty()) {
      err.println("hint: if the bank got the request, its outcome is unknown: repeat the command with --request-id "
          + idempotent.requestId() + " to learn it; a repeat never applies twice");
    }
  }
}
