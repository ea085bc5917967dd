package dev.distribank.node.log;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a log line is about, beside its text: the bank, a transaction, a client's request id, a peer bank ("" for
 * unknown). With {@code --log-format json} each is a field of its own ({@link JsonLogFormatter}); the text format
 * prints the message alone, as it always did (the message names them already).
 */
public record LogFields(String bank, String transactionId, String requestId, String peer) {
  public static final LogFields NONE = new LogFields("", "", "", "");

  public LogFields {
    checkNotNull(bank, "bank");
    checkNotNull(transactionId, "transactionId");
    checkNotNull(requestId, "requestId");
    checkNotNull(peer, "peer");
  }

  /** A line about the link or a message to or from bank {@code peer}. */
  public static LogFields peer(String peer) {
    return new LogFields("", "", "", peer);
  }

  /** These fields, said by bank {@code bank} (when one process logs for several, as tests do). */
  public LogFields bank(String bank) {
    return new LogFields(bank, transactionId, requestId, peer);
  }

  public LogFields transaction(String transactionId) {
    return new LogFields(bank, transactionId, requestId, peer);
  }

  public LogFields request(String requestId) {
    return new LogFields(bank, transactionId, requestId, peer);
  }

  /** Logs {@code message} (built only if the level is on) at {@code level} on {@code logger}, with these fields. */
  public void log(Logger logger, Level level, Supplier<String> message, Throwable thrown) {
    if (logger.isLoggable(level)) {
      var record = new Record(level, message.get(), this);
      record.setLoggerName(logger.getName());
      record.setSourceClassName(null); // a format that prints the source prints the logger's name, not this class
      record.setThrown(thrown);
      logger.log(record);
    }
  }

  public void info(Logger logger, Supplier<String> message) {
    log(logger, Level.INFO, message, null);
  }

  /** A log record that carries its fields to the formatter; every other handler sees a plain record. */
  static final class Record extends LogRecord {
    private static final long serialVersionUID = 1L;
    private final transient LogFields fields;

    Record(Level level, String message, LogFields fields) {
      super(level, message);
      this.fields = fields;
    }

    LogFields fields() {
      return fields;
    }
  }
}
