package dev.distribank.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON object written by hand, one member at a time, for reports that are not a protobuf message (the load
 * report). Strings are escaped per RFC 8259; numbers are longs or finite doubles; a member may also be JSON text
 * made elsewhere (a message printed by JsonFormat, or another {@code JsonText}).
 */
final class JsonText {
  private final StringBuilder json = new StringBuilder("{");

  JsonText put(String key, String value) {
    return putJson(key, quote(value));
  }

  JsonText put(String key, long value) {
    return putJson(key, Long.toString(value));
  }

  /** A finite number with up to three decimals, e.g. 84.333. */
  JsonText put(String key, double value) {
    checkArgument(Double.isFinite(value), "%s is %s, which JSON cannot hold", key, value);
    String text = String.format(Locale.ROOT, "%.3f", value);
    // Drop trailing zeros ("84.300" reads 84.3, "12.000" reads 12) and a negative zero's sign.
    text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
    return putJson(key, text.equals("-0") ? "0" : text);
  }

  JsonText put(String key, boolean value) {
    return putJson(key, Boolean.toString(value));
  }

  JsonText put(String key, List<String> values) {
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      array.append(i == 0 ? "" : ",").append(quote(values.get(i)));
    }
    return putJson(key, array.append(']').toString());
  }

  /** An array of numbers. */
  JsonText putNumbers(String key, List<Long> values) {
    return putJson(key, "[" + String.join(",", values.stream().map(String::valueOf).toList()) + "]");
  }

  /** An array whose items are already JSON text. */
  JsonText putJsonArray(String key, List<String> items) {
    return putJson(key, "[" + String.join(",", items) + "]");
  }

  /** An object of counts, in the map's order. */
  JsonText putCounts(String key, Map<String, Long> counts) {
    JsonText object = new JsonText();
    counts.forEach(object::put);
    return putJson(key, object.toString());
  }

  /** A member whose value is already JSON text. */
  JsonText putJson(String key, String jsonValue) {
    if (json.length() > 1) {
      json.append(',');
    }
    json.append(quote(key)).append(':').append(jsonValue);
    return this;
  }

  @Override
  public String toString() {
    return json + "}";
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
