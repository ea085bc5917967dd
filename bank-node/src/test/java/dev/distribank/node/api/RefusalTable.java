package dev.distribank.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.function.Executable;

/**
 * One row of a refusal table: the request (protobuf text format, single-quoted strings), and the whole answer it
 * must get — code, ErrorInfo reason and metadata, the BadRequest field (AIP-193: the request's own field path) and a
 * phrase of the message. The rows of a table run in precedence order: each row's fault ranks above the next one's,
 * and a row whose request has two faults shows which answer wins.
 *
 * <p>Table columns are separated by {@code |}; an empty field or metadata cell means none. Metadata is written
 * {@code key=value; key=value} and must match exactly: nothing missing, nothing extra. A request may use the stand-ins
 * {@code $T} (a transfer leg's kind), {@code $LEG_OK} (1 cent from alpha:1001 to alpha:1002), {@code $LEG_400} (the
 * same for 400 cents), {@code $LEGS65} (65 of $LEG_OK), {@code $LONG_NAME} (121 letters), {@code $RLO} (U+202E,
 * the right-to-left override), {@code $USED_ID} (the request id of ana's deposit) and {@code $BATCH8191} (a
 * SubmitTransactions of 8,191 transactions of $LEG_OK, one more than a batch may carry).
 */
final class RefusalTable {
  /** Values too long, or too hostile, to write into a table cell. */
  private static final Map<String, String> STAND_INS = Map.of(
      "$LONG_NAME", "A".repeat(121),
      "$LEGS65", "$LEG_OK ".repeat(65),
      "$BATCH8191", "transactions { $LEG_OK } ".repeat(8_191),
      "$LEG_OK", "legs { $T amount_cents: 1 from_account: 'alpha:1001' to_account: 'alpha:1002' }",
      "$LEG_400", "legs { $T amount_cents: 400 from_account: 'alpha:1001' to_account: 'alpha:1002' }",
      "$T", "kind: LEG_KIND_TRANSFER",
      "$USED_ID", RefusalFixture.USED_REQUEST_ID,
      "$RLO", "\\u202e");

  private RefusalTable() {}

  /** The request a row's text describes, its stand-ins replaced. */
  @SuppressWarnings("unchecked")
  static <T extends Message> T request(String text, T prototype) {
    String expanded = text == null ? "" : text;
    // Longest names first, so $LEG_OK is not read as $LEG followed by _OK; expansions may use other stand-ins.
    for (String name : List.of("$BATCH8191", "$LEGS65", "$LEG_OK", "$LEG_400", "$LONG_NAME", "$RLO", "$T",
        "$USED_ID")) {
      expanded = expanded.replace(name, STAND_INS.get(name));
    }
    Message.Builder builder = prototype.newBuilderForType();
    try {
      TextFormat.getParser().merge(expanded, builder);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException("row request '" + text + "' is not text format: " + e.getMessage(), e);
    }
    return (T) builder.build();
  }

  /** {@code key=value; key=value} as a map; null or empty for none. */
  static Map<String, String> metadata(String text) {
    var out = new TreeMap<String, String>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String pair : text.split(";")) {
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return out;
  }

  /**
   * Runs {@code call} and checks it was refused with exactly this answer: {@code code}; one ErrorInfo of domain
   * distribank.dev with {@code reason} and exactly {@code metadata}; a BadRequest naming {@code field} (with the
   * message as its description) when field is set, none when it is not; a RetryInfo exactly when the metadata says
   * when to retry; and a message containing {@code says}.
   */
  static StatusRuntimeException assertRefused(Executable call, Status.Code code, String reason, String field,
      String metadata, String says) {
    var e = assertThrows(StatusRuntimeException.class, call, "the request must be refused");
    String answer = e.getStatus().toString();
    assertEquals(code, e.getStatus().getCode(), answer);
    var details = StatusProto.fromThrowable(e);
    List<Any> all = details == null ? List.of() : details.getDetailsList();
    List<ErrorInfo> infos = unpack(all, ErrorInfo.class);
    assertEquals(1, infos.size(), "exactly one ErrorInfo: " + answer);
    assertEquals(Errors.DOMAIN, infos.get(0).getDomain(), answer);
    assertEquals(reason, infos.get(0).getReason(), answer);
    assertEquals(metadata(metadata), new TreeMap<>(infos.get(0).getMetadataMap()), "ErrorInfo metadata: " + answer);
    String message = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
    List<BadRequest> badRequests = unpack(all, BadRequest.class);
    if (field == null || field.isEmpty()) {
      assertEquals(List.of(), badRequests, "no field is at fault: " + answer);
    } else {
      assertEquals(1, badRequests.size(), "one BadRequest: " + answer);
      assertEquals(1, badRequests.get(0).getFieldViolationsCount(), answer);
      assertEquals(field, badRequests.get(0).getFieldViolations(0).getField(), "BadRequest field: " + answer);
      assertEquals(message, badRequests.get(0).getFieldViolations(0).getDescription(), answer);
    }
    boolean retry = metadata(metadata).containsKey("retry_after_millis");
    assertEquals(retry ? 1 : 0, unpack(all, RetryInfo.class).size(), "a RetryInfo exactly when it says: " + answer);
    if (says != null) {
      assertTrue(message.contains(says), "the message says '" + says + "': " + answer);
    }
    return e;
  }

  private static <T extends Message> List<T> unpack(List<Any> details, Class<T> type) {
    var out = new ArrayList<T>();
    for (Any any : details) {
      if (any.is(type)) {
        try {
          out.add(any.unpack(type));
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("an undecodable " + type.getSimpleName(), e);
        }
      }
    }
    return out;
  }
}
