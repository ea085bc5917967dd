package dev.distribank.node.fuzz;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.distribank.node.fuzz.RawCalls.Answer;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every refusal follows (AIP-193 as DistriBank states them), checked on one answer: refused at all; never
 * UNKNOWN, INTERNAL, DATA_LOSS, UNIMPLEMENTED or UNAVAILABLE (the nodes are up); exactly one ErrorInfo of domain
 * distribank.dev with an UPPER_SNAKE reason; MALFORMED_REQUEST exactly for bytes the parser cannot read; one of the
 * attempt's expected codes; a RetryInfo on a throttled sign-in; a BadRequest naming the field of an INVALID_ARGUMENT;
 * and a message that quotes what it echoes (the server's own contract in {@code Text.quote}): no forbidden code point
 * that could forge a log line or reorder a terminal, and short, since it travels in a trailer the client caps at 8 KiB.
 */
final class AnswerRules {
  private static final Set<Status.Code> NEVER = EnumSet.of(Status.Code.UNKNOWN, Status.Code.INTERNAL,
      Status.Code.DATA_LOSS, Status.Code.UNIMPLEMENTED, Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
      Status.Code.CANCELLED);
  private static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");
  private static final String DOMAIN = "distribank.dev";
  private static final String MALFORMED = "MALFORMED_REQUEST";
  /** Far above any message the server writes itself; far below grpc-java's 8 KiB limit on a client's trailers. */
  static final int MAX_MESSAGE_CHARS = 1024;

  private AnswerRules() {}

  /** A broken rule: {@code rule} is the same text for every answer breaking it the same way, so findings group. */
  record Violation(String rule) {}

  static List<Violation> check(Attempt attempt, Answer answer) {
    var out = new ArrayList<Violation>();
    Status.Code code = answer.status().getCode();
    if (code == Status.Code.OK) {
      out.add(new Violation("succeeded, but must be refused"));
      return out;
    }
    // PeerService is not served on the public port: whatever the bytes, UNIMPLEMENTED NO_SUCH_METHOD.
    boolean notServed = attempt.method().startsWith("bank.peer.v1.");
    if (NEVER.contains(code) && !(notServed && code == Status.Code.UNIMPLEMENTED)) {
      out.add(new Violation("answered " + code));
    }
    var details = StatusProto.fromStatusAndTrailers(answer.status(), answer.trailers());
    List<Any> all = details == null ? List.of() : details.getDetailsList();
    if (details != null && details.getCode() != code.value()) {
      out.add(new Violation("status details carry code " + details.getCode() + ", not " + code.value()));
    }
    List<ErrorInfo> infos = unpack(all, ErrorInfo.class);
    String reason = infos.size() == 1 ? infos.get(0).getReason() : "";
    if (infos.size() != 1) {
      out.add(new Violation("has " + infos.size() + " ErrorInfo, not exactly one"));
    } else if (!UPPER_SNAKE.matcher(reason).matches() || !infos.get(0).getDomain().equals(DOMAIN)) {
      out.add(new Violation("ErrorInfo reason is not UPPER_SNAKE or its domain is not " + DOMAIN));
    }
    Attempt.Expect expect = attempt.expect();
    if (notServed) {
      if (code != Status.Code.UNIMPLEMENTED || !reason.equals("NO_SUCH_METHOD")) {
        out.add(new Violation("PeerService on the public port got " + code + " " + reason
            + ", not UNIMPLEMENTED NO_SUCH_METHOD"));
      }
      return out;
    }
    if (expect.malformed() && (code != Status.Code.INVALID_ARGUMENT || !reason.equals(MALFORMED))) {
      out.add(new Violation("unparseable bytes got " + code + " " + reason + ", not INVALID_ARGUMENT " + MALFORMED));
    }
    if (!expect.malformed() && reason.equals(MALFORMED)) {
      out.add(new Violation("a well-formed request was called " + MALFORMED));
    }
    if (!expect.codes().isEmpty() && !expect.codes().contains(code) && !NEVER.contains(code)) {
      out.add(new Violation(code + " " + reason + ", where one of " + expect.codes() + " is right"));
    }
    if (code == Status.Code.RESOURCE_EXHAUSTED && attempt.shortMethod().equals("Login")
        && unpack(all, RetryInfo.class).isEmpty()) {
      out.add(new Violation("a throttled sign-in without RetryInfo"));
    }
    List<BadRequest> badRequests = unpack(all, BadRequest.class);
    if (badRequests.size() > 1 || badRequests.stream().anyMatch(b -> b.getFieldViolationsCount() == 0
        || b.getFieldViolationsList().stream().anyMatch(v -> v.getField().isEmpty()))) {
      out.add(new Violation("more than one BadRequest, or one naming no field"));
    }
    if (code == Status.Code.INVALID_ARGUMENT && !reason.equals(MALFORMED) && badRequests.isEmpty()) {
      out.add(new Violation("INVALID_ARGUMENT " + reason + " without a BadRequest naming the field"));
    }
    String message = answer.status().getDescription() == null ? "" : answer.status().getDescription();
    if (HostileText.hasForbidden(message)) { // a lone surrogate included
      out.add(new Violation("the message echoes a forbidden code point unquoted"));
    }
    if (message.length() > MAX_MESSAGE_CHARS) {
      out.add(new Violation("the message is longer than " + MAX_MESSAGE_CHARS + " characters"));
    }
    return out;
  }

  private static <T extends com.google.protobuf.Message> List<T> unpack(List<Any> details, Class<T> type) {
    var out = new ArrayList<T>();
    for (Any any : details) {
      if (any.is(type)) {
        try {
          out.add(any.unpack(type));
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("an undecodable " + type.getSimpleName() + " in the status details", e);
        }
      }
    }
    return out;
  }
}
