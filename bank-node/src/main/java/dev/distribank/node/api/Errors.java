package dev.distribank.node.api;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.distribank.node.app.NodeStopping;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.log.QuietLog;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

/**
 * The one mapping from the bank's refusals to gRPC statuses (AIP-193), for every service and port: a standard code,
 * exactly one {@code google.rpc.ErrorInfo} with the UPPER_SNAKE reason and its dynamic values, a
 * {@code google.rpc.BadRequest} naming the field at fault when there is one, and a {@code google.rpc.RetryInfo} when
 * the refusal says when to try again. Failures are told apart by type, never by their text.
 */
public final class Errors {
  /** The ErrorInfo domain of every DistriBank error. */
  public static final String DOMAIN = "distribank.dev";

  private static final Logger log = Logger.getLogger(Errors.class.getName());
  private static final QuietLog INTERNAL_ERRORS = new QuietLog(log, 20);

  private Errors() {}

  static Code code(Reason.Kind kind) {
    return switch (kind) {
      case INVALID -> Code.INVALID_ARGUMENT;
      case NOT_FOUND -> Code.NOT_FOUND;
      case EXISTS -> Code.ALREADY_EXISTS;
      case PRECONDITION -> Code.FAILED_PRECONDITION;
      case DENIED -> Code.PERMISSION_DENIED;
      case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
      case EXHAUSTED -> Code.RESOURCE_EXHAUSTED;
      case UNAVAILABLE -> Code.UNAVAILABLE;
      case UNIMPLEMENTED -> Code.UNIMPLEMENTED;
    };
  }

  public static StatusRuntimeException toStatus(Rejection r) {
    return StatusProto.toStatusRuntimeException(statusOf(r));
  }

  /** {@link #toStatus(Rejection)} as a message: how a batch answers each refused transaction in its place. */
  static com.google.rpc.Status statusOf(Rejection r) {
    var info = ErrorInfo.newBuilder().setReason(r.reason().name()).setDomain(DOMAIN).putAllMetadata(r.metadata());
    if (r.hasFailedLeg()) {
      info.putMetadata("leg", Integer.toString(r.failedLeg()));
    }
    var status = com.google.rpc.Status.newBuilder().setCode(code(r.reason().kind()).getNumber())
        .setMessage(r.message()).addDetails(Any.pack(info.build()));
    if (!r.field().isEmpty()) {
      status.addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(
          BadRequest.FieldViolation.newBuilder().setField(r.field()).setDescription(r.message())).build()));
    }
    // A refusal that says when to try again also carries it as a google.rpc.RetryInfo.
    String retryAfter = r.metadata().get(Rejection.RETRY_AFTER_MILLIS);
    if (retryAfter != null) {
      long millis = Long.parseLong(retryAfter);
      status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder()
          .setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000)).build()));
    }
    return status.build();
  }

  /**
   * Any failure of a call, as the status to answer it with: a refusal as {@link #toStatus(Rejection)}; a stopping
   * node as UNAVAILABLE {@code NODE_STOPPING}, or {@code DISK_FULL} when it stopped for want of room; anything else
   * is a bug, logged and answered INTERNAL.
   */
  public static StatusRuntimeException toStatus(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof Rejection.Rejected r) {
      return toStatus(r.rejection());
    }
    if (cause instanceof NodeStopping stopping) {
      return status(Code.UNAVAILABLE, stopping.diskFull() ? "DISK_FULL" : "NODE_STOPPING", stopping.getMessage());
    }
    INTERNAL_ERRORS.warn("internal error answering a call", cause);
    return status(Code.INTERNAL, "INTERNAL", "internal error: " + cause);
  }

  static StatusRuntimeException status(Code code, String reason, String message) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(code.getNumber())
        .setMessage(message).addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build()))
        .build());
  }
}
