package dev.distribank.node.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --log-format json: one parseable line per event, with its fields; the text format unchanged. */
class JsonLogFormatterTest {
  final JsonLogFormatter json = new JsonLogFormatter("alpha");

  /** Logs through a real logger into a list, as the node's handlers see the records. */
  static List<LogRecord> capture(Runnable logging) {
    var records = new ArrayList<LogRecord>();
    Logger logger = Logger.getLogger("dev.distribank.node.test.json");
    var handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
    try {
      logging.run();
    } finally {
      logger.removeHandler(handler);
    }
    return records;
  }

  static JsonObject parse(String line) {
    assertTrue(line.endsWith("\n"), line);
    assertEquals(1, line.split("\n", -1).length - 1, "exactly one line: " + line);
    return JsonParser.parseString(line).getAsJsonObject();
  }

  @Test
  void fieldsOfTheEvent_eachItsOwnKey_processBankWhenTheLineNamesNone() {
    Logger logger = Logger.getLogger("dev.distribank.node.test.json");
    var records = capture(() -> {
      LogFields.peer("beta").transaction("alpha-17").request("req-1").info(logger, () -> "link to beta is up");
      logger.warning("plain line");
    });

    JsonObject first = parse(json.format(records.get(0)));
    assertEquals("INFO", first.get("level").getAsString());
    assertEquals("dev.distribank.node.test.json", first.get("logger").getAsString());
    assertEquals("link to beta is up", first.get("message").getAsString());
    assertEquals("alpha", first.get("bank").getAsString());
    assertEquals("beta", first.get("peer").getAsString());
    assertEquals("alpha-17", first.get("transaction_id").getAsString());
    assertEquals("req-1", first.get("request_id").getAsString());
    assertTrue(first.get("timestamp").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z"));

    JsonObject second = parse(json.format(records.get(1)));
    assertEquals("WARN", second.get("level").getAsString());
    assertEquals("alpha", second.get("bank").getAsString());
    assertFalse(second.has("peer"), "no field for what is not known");
  }

  @Test
  void hostileText_staysInsideItsString() {
    String hostile = "bad\"}\n{\"level\":\"ERROR\",\"forged\":true}\u2028\u0000\\";
    var records = capture(() -> LogFields.peer(hostile).info(Logger.getLogger("dev.distribank.node.test.json"),
        () -> hostile));

    JsonObject line = parse(json.format(records.get(0)));
    assertEquals(hostile, line.get("message").getAsString());
    assertEquals(hostile, line.get("peer").getAsString());
    assertFalse(line.has("forged"));
    assertEquals("INFO", line.get("level").getAsString());
  }

  @Test
  void failure_errorAndStackTraceOnTheSameLine() {
    var records = capture(() -> LogFields.NONE.log(Logger.getLogger("dev.distribank.node.test.json"),
        Level.SEVERE, () -> "bank loop stopped", new IllegalStateException("disk gone")));

    JsonObject line = parse(json.format(records.get(0)));
    assertEquals("ERROR", line.get("level").getAsString());
    assertEquals("java.lang.IllegalStateException: disk gone", line.get("error").getAsString());
    assertTrue(line.get("stack_trace").getAsString().contains("at dev.distribank.node.log"));
  }

  @Test
  void textFormat_sameLineWithOrWithoutFields() {
    Logger logger = Logger.getLogger("dev.distribank.node.test.json");
    var records = capture(() -> {
      LogFields.peer("beta").bank("alpha").info(logger, () -> "alpha: link to beta is up");
      logger.info("alpha: link to beta is up");
    });
    var text = new SimpleFormatter();
    String withFields = text.format(records.get(0));
    String without = text.format(records.get(1));

    assertEquals(without.substring(without.indexOf('\n')), withFields.substring(withFields.indexOf('\n')));
    assertTrue(withFields.contains("INFO: alpha: link to beta is up"), withFields);
  }

  @ParameterizedTest
  @CsvSource({"SEVERE,ERROR", "WARNING,WARN", "INFO,INFO", "CONFIG,DEBUG", "FINE,DEBUG", "FINER,TRACE",
      "FINEST,TRACE"})
  void level_namedAsLogPipelinesExpect(String jul, String expected) {
    assertEquals(expected, JsonLogFormatter.level(Level.parse(jul)));
  }

  @Test
  void logFormat_parsesEitherName_refusesOthers() {
    assertEquals(LogFormat.JSON, LogFormat.parse("JSON"));
    assertEquals(LogFormat.TEXT, LogFormat.parse("text"));
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LogFormat.parse("xml"));
    assertEquals("must be json or text, got 'xml'", e.getMessage());
  }
}
