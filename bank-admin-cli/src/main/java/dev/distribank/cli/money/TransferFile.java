package dev.distribank.cli.money;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.TransferRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The transfers of {@code bank-admin transfer --from-file}: one transfer of one leg per line, as CSV under a header
 * ({@code from,to,amount} or {@code from,to,amount,request_id}) or as JSON lines
 * ({@code {"from": "alpha:1001", "to": "beta:pix:bia@example.com", "amount": "12.34", "request_id": "..."}}).
 * A file whose first line starts with '{' is JSON lines; any other is CSV. Blank lines are skipped.
 *
 * <p>Fields are what {@code --leg} takes (amounts in reais with a decimal dot); CSV has no quoting, since no account id
 * or PIX key holds a comma. Every line is read and checked before anything is sent, so a typo on line 9,000 sends
 * nothing. A transfer without a request id gets a fresh UUID, printed with its result, so that one whose outcome was
 * lost can be sent again without applying twice.
 */
final class TransferFile {
  static final String HEADER = "from,to,amount";
  static final String HEADER_WITH_ID = "from,to,amount,request_id";
  private static final Set<String> JSON_KEYS = Set.of("from", "to", "amount", "request_id");

  /** One transfer of the file and the line it came from (1-based). */
  record Line(int number, TransferRequest transfer) {}

  private TransferFile() {}

  /**
   * Every transfer of {@code reader}, in order.
   *
   * @param name how refusals name the file
   * @throws IllegalArgumentException "NAME line N: what is wrong", for the first line that is not a transfer
   * @throws IOException if the file cannot be read
   */
  static List<Line> read(String name, BufferedReader reader) throws IOException {
    var lines = new ArrayList<Line>();
    Boolean json = null;
    boolean withIds = false;
    String text;
    int number = 0;
    while ((text = reader.readLine()) != null) {
      number++;
      if (number == 1 && text.startsWith("\uFEFF")) {
        text = text.substring(1); // a byte order mark, as spreadsheets write before a CSV
      }
      if (text.isBlank()) {
        continue;
      }
      try {
        if (json == null) {
          json = text.strip().startsWith("{");
          if (!json) {
            withIds = header(text);
            continue;
          }
        }
        lines.add(new Line(number, json ? fromJson(text) : fromCsv(text, withIds)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " line " + number + ": " + e.getMessage(), e);
      }
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(name + " has no transfers: give a CSV header (" + HEADER_WITH_ID
          + ") and a line per transfer, or a JSON object per line");
    }
    return lines;
  }

  /** Whether the CSV header names a request_id column. */
  private static boolean header(String text) {
    String header = text.replace(" ", "").toLowerCase(Locale.ROOT);
    if (header.equals(HEADER) || header.equals(HEADER_WITH_ID)) {
      return header.equals(HEADER_WITH_ID);
    }
    throw new IllegalArgumentException("expected the CSV header " + HEADER + " or " + HEADER_WITH_ID
        + " (or a JSON object per line), not '" + abbreviate(text) + "'");
  }

  private static TransferRequest fromCsv(String text, boolean withIds) {
    if (!withIds) {
      return transfer(TransferLegs.parse(text), "");
    }
    String[] parts = text.split(",", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a transfer: expected " + HEADER_WITH_ID
          + " (four fields separated by commas, the last may be empty); write amounts with a decimal dot");
    }
    return transfer(TransferLegs.of(parts[0], parts[1], parts[2], text), parts[3].strip());
  }

  private static TransferRequest fromJson(String text) {
    JsonObject object;
    try {
      JsonElement element = JsonParser.parseString(text);
      if (!element.isJsonObject()) {
        throw new IllegalArgumentException("expected a JSON object, not '" + abbreviate(text) + "'");
      }
      object = element.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    for (String key : object.keySet()) {
      if (!JSON_KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown field \"" + key + "\"; a transfer has from, to, amount and"
            + " request_id");
      }
    }
    String from = field(object, "from");
    String to = field(object, "to");
    String amount = field(object, "amount");
    Leg leg = TransferLegs.of(from, to, amount, from + "," + to + "," + amount);
    return transfer(leg, object.has("request_id") ? field(object, "request_id").strip() : "");
  }

  /** A field's text: a JSON string, or a number as it was written (an amount such as 12.34). */
  private static String field(JsonObject object, String key) {
    JsonElement value = object.get(key);
    if (value == null || value.isJsonNull()) {
      throw new IllegalArgumentException("no \"" + key + "\"");
    }
    if (!(value instanceof JsonPrimitive p) || p.isBoolean()) {
      throw new IllegalArgumentException("\"" + key + "\" must be a string");
    }
    return p.getAsString();
  }

  private static TransferRequest transfer(Leg leg, String requestId) {
    return TransferRequest.newBuilder().addLegs(leg)
        .setRequestId(requestId.isEmpty() ? UUID.randomUUID().toString() : requestId).build();
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
