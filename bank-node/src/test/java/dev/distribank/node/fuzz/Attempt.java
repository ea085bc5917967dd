package dev.distribank.node.fuzz;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * One generated request: the bank it goes to, who sends it, its exact bytes, and what the rules let the bank answer.
 * Every attempt must be refused; {@code expect} narrows the refusal further.
 */
record Attempt(String category, String bank, String method, Caller caller, byte[] body, Message request,
    Expect expect) {

  /** Who sends a request: a name for reports, and the bearer token it carries ("" for none). */
  record Caller(String name, String token) {
    static final Caller NOBODY = new Caller("nobody", "");
  }

  /**
   * What answers are right: one of {@code codes} (empty: any code the generic rules allow), and for bytes the
   * server's parser cannot read, exactly INVALID_ARGUMENT with reason MALFORMED_REQUEST.
   */
  record Expect(Set<Status.Code> codes, boolean malformed) {
    static final Expect MALFORMED = new Expect(EnumSet.of(Status.Code.INVALID_ARGUMENT), true);
    static final Expect ANY_REFUSAL = new Expect(EnumSet.noneOf(Status.Code.class), false);

    static Expect refused(Status.Code first, Status.Code... rest) {
      return new Expect(EnumSet.of(first, rest), false);
    }

    /** These codes or any of {@code more} (any refusal stays any refusal). */
    Expect or(Status.Code... more) {
      if (codes.isEmpty()) {
        return this;
      }
      var wider = EnumSet.copyOf(codes);
      wider.addAll(java.util.List.of(more));
      return new Expect(wider, malformed);
    }
  }

  /** A well-formed request built with the generated builders. */
  static Attempt of(String category, String bank, MethodDescriptor<?, ?> method, Caller caller, Message request,
      Expect expect) {
    return new Attempt(category, bank, method.getFullMethodName(), caller, request.toByteArray(), request, expect);
  }

  /** Bytes that may or may not be the method's request message. */
  static Attempt raw(String category, String bank, String method, Caller caller, byte[] body) {
    Expect expect = RawCalls.parses(method, body) ? Expect.ANY_REFUSAL : Expect.MALFORMED;
    return new Attempt(category, bank, method, caller, body, null, expect);
  }

  /** The method's short name, e.g. {@code Transfer}. */
  String shortMethod() {
    return method.substring(method.indexOf('/') + 1);
  }

  /** The request as a failure report prints it: the message in text form, or the first bytes in hex. */
  String shown() {
    if (request != null) {
      return HostileText.show(TextFormat.printer().escapingNonAscii(false).emittingSingleLine(true)
          .printToString(request));
    }
    int shownBytes = Math.min(body.length, 96);
    return body.length + " bytes: " + HexFormat.of().formatHex(body, 0, shownBytes)
        + (shownBytes < body.length ? "…" : "");
  }

  String describe(long index) {
    return "#" + index + " [" + category + "] " + shortMethod() + " at " + bank + " as " + caller.name() + ": "
        + shown();
  }
}
