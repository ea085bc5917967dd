package dev.distribank.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/**
 * What a failed call says beyond its status code (AIP-193): the bank's {@code google.rpc.ErrorInfo}, whose
 * UPPER_SNAKE reason and metadata say why, and its {@code google.rpc.BadRequest}, which names the fields at fault. The
 * one place the CLI reads a status's details, for the failure report and the load generator alike.
 *
 * @param errorInfo the first readable ErrorInfo, or the default instance (no reason, no metadata) when there is none
 * @param badRequest the field violations, or the default instance (none) when the status carries none
 * @param unreadable the type URLs of details that would not parse; a detail we cannot read must not hide the status
 */
public record StatusDetails(Status status, ErrorInfo errorInfo, BadRequest badRequest, List<String> unreadable) {
  /** The details of {@code failure}, a StatusRuntimeException or StatusException; none for anything else. */
  public static StatusDetails of(Throwable failure) {
    return of(Status.fromThrowable(failure), StatusProto.fromThrowable(failure));
  }

  /** The details of a status sent as a message: a refused transaction's, in a batch's answer. */
  public static StatusDetails of(com.google.rpc.Status rich) {
    return of(Status.fromCodeValue(rich.getCode()).withDescription(rich.getMessage()), rich);
  }

  private static StatusDetails of(Status status, com.google.rpc.Status rich) {
    ErrorInfo info = null;
    BadRequest badRequest = null;
    List<String> unreadable = new ArrayList<>();
    for (Any detail : rich == null ? List.<Any>of() : rich.getDetailsList()) {
      try {
        if (detail.is(ErrorInfo.class) && info == null) {
          info = detail.unpack(ErrorInfo.class);
        } else if (detail.is(BadRequest.class)) {
          badRequest = detail.unpack(BadRequest.class);
        }
      } catch (InvalidProtocolBufferException malformed) {
        unreadable.add(detail.getTypeUrl());
      }
    }
    return new StatusDetails(status, info == null ? ErrorInfo.getDefaultInstance() : info,
        badRequest == null ? BadRequest.getDefaultInstance() : badRequest, List.copyOf(unreadable));
  }

  /**
   * The bank's reason, e.g. INSUFFICIENT_FUNDS or BANK_UNAVAILABLE, or "" when none came back: then the failure is
   * the call's own (a deadline, a lost connection) and the bank may or may not have acted on the request.
   */
  public String reason() {
    return errorInfo.getReason();
  }
}
