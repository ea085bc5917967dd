package dev.distribank.node.log;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * {@code --log-format json}: one JSON object per line and event, for log pipelines: {@code timestamp} (UTC, ISO
 * 8601), {@code level} (ERROR, WARN, INFO, DEBUG, TRACE), {@code logger}, {@code message}, then, where known,
 * {@code bank}, {@code transaction_id}, {@code request_id}, {@code peer}, and for a failure {@code error} and
 * {@code stack_trace}. Every string is escaped, so text from the network (a peer's bank id, a malformed request)
 * can neither break the line nor forge a field.
 */
public final class JsonLogFormatter extends Formatter {
  private final String bank;

  /** {@code bank}: this process's bank, written on every line that names no other. */
  public JsonLogFormatter(String bank) {
    this.bank = bank;
  }

  @Override
  public String format(LogRecord record) {
    var text = new StringWriter(256);
    try (var json = new JsonWriter(text)) {
      json.setHtmlSafe(false);
      json.beginObject();
      json.name("timestamp").value(DateTimeFormatter.ISO_INSTANT.format(record.getInstant()));
      json.name("level").value(level(record.getLevel()));
      json.name("logger").value(record.getLoggerName() == null ? "" : record.getLoggerName());
      json.name("message").value(formatMessage(record));
      LogFields fields = record instanceof LogFields.Record r ? r.fields() : LogFields.NONE;
      field(json, "bank", fields.bank().isEmpty() ? bank : fields.bank());
      field(json, "transaction_id", fields.transactionId());
      field(json, "request_id", fields.requestId());
      field(json, "peer", fields.peer());
      if (record.getThrown() != null) {
        json.name("error").value(String.valueOf(record.getThrown()));
        var trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        json.name("stack_trace").value(trace.toString());
      }
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.append('\n').toString();
  }

  private static void field(JsonWriter json, String name, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      json.name(name).value(value);
    }
  }

  /** java.util.logging's levels under the names log pipelines expect. */
  static String level(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
  }
}
