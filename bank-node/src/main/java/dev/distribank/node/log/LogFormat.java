package dev.distribank.node.log;

import java.io.UnsupportedEncodingException;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * {@code --log-format}: {@code text}, the default, one line a record as the node always printed them
 * ({@code 04:10:21 INFO bank alpha serving ...}); or {@code json}, one JSON object a line ({@link JsonLogFormatter}).
 */
public enum LogFormat {
  TEXT, JSON;

  /** {@code text} or {@code json}, any case; IllegalArgumentException naming both for anything else. */
  public static LogFormat parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("must be json or text, got '" + name + "'");
    };
  }

  /** Puts this format on the root logger's handlers (the console): once, at start-up, before anything logs. */
  public void install(String bank) {
    if (this == TEXT) {
      return; // the JVM's own handler and the format main() set
    }
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      handler.setFormatter(new JsonLogFormatter(bank));
      try {
        handler.setEncoding("UTF-8");
      } catch (UnsupportedEncodingException e) {
        throw new IllegalStateException("UTF-8 is always supported", e);
      }
    }
  }
}
