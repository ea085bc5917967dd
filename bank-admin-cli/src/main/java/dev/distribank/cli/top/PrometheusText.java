package dev.distribank.cli.top;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads the samples out of a {@code /metrics} answer in the Prometheus text format (0.0.4, plus what OpenMetrics adds:
 * {@code # EOF}, exemplars after {@code #}).
 *
 * <p>Whatever the answer holds, this never throws and never grows without bound: a line it cannot read is counted and
 * skipped, only the samples whose names {@code keep} accepts are kept, and long lines, many labels and many samples
 * are cut off at fixed limits. {@code top} points at addresses an operator typed, and what answers there may be
 * anything.
 */
final class PrometheusText {
  /** A line longer than this is skipped: no sample top reads comes near it. */
  static final int MAX_LINE_CHARS = 16_384;
  /** A sample with more labels than this is skipped. */
  static final int MAX_LABELS = 32;
  /** Samples kept beyond this are dropped (and counted as unreadable). */
  static final int MAX_SAMPLES = 50_000;

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  // Go's ParseFloat as Prometheus writes values; stricter than Double.parseDouble, which also takes "1d", "0x1p3".
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  /** One sample: a metric name, its labels in the order written, and its value (may be NaN or infinite). */
  record Sample(String name, Map<String, String> labels, double value) {
    String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  /** The samples kept, and how many lines (other than comments and blank lines) could not be read. */
  record Parsed(List<Sample> samples, int unreadableLines) {}

  private PrometheusText() {}

  static Parsed parse(String text, Predicate<String> keep) {
    List<Sample> samples = new ArrayList<>();
    int unreadable = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(start, end);
      start = end + 1;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Sample sample = line.length() > MAX_LINE_CHARS ? null : sample(line);
      if (sample == null || samples.size() >= MAX_SAMPLES) {
        unreadable++;
      } else if (keep.test(sample.name())) {
        samples.add(sample);
      }
    }
    return new Parsed(samples, unreadable);
  }

  /** The sample a line holds, or null when it holds none this reader understands. */
  private static Sample sample(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && !isSpace(line.charAt(i)) && line.charAt(i) != '{') {
      i++;
    }
    String name = line.substring(0, i);
    if (!NAME.matcher(name).matches()) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < n && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
      if (i < 0) {
        return null;
      }
    }
    String rest = line.substring(i).strip();
    // OpenMetrics: an exemplar follows " # "; the value and timestamp come before it.
    int exemplar = rest.indexOf(" # ");
    if (exemplar >= 0) {
      rest = rest.substring(0, exemplar);
    }
    String[] fields = rest.strip().split("[ \t]+");
    if (fields.length < 1 || fields.length > 2 || fields[0].isEmpty()) {
      return null;
    }
    double value = number(fields[0]);
    if (Double.isNaN(value) && !fields[0].equals("NaN")) {
      return null;
    }
    if (fields.length == 2 && Double.isNaN(number(fields[1]))) {
      return null; // a timestamp that is not a number
    }
    return new Sample(name, labels, value);
  }

  /**
   * Reads {@code name="value",...}} from {@code i} (just after the brace) into {@code into}; returns the index after
   * the closing brace, or -1 when the labels are malformed.
   */
  private static int labels(String line, int i, Map<String, String> into) {
    int n = line.length();
    while (true) {
      while (i < n && isSpace(line.charAt(i))) {
        i++;
      }
      if (i < n && line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        return -1;
      }
      String key = line.substring(i, eq).strip();
      if (!LABEL_NAME.matcher(key).matches() || eq + 1 >= n || line.charAt(eq + 1) != '"') {
        return -1;
      }
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (j < n && line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < n) {
          char escaped = line.charAt(++j);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
        j++;
      }
      if (j >= n || into.size() >= MAX_LABELS || into.put(key, value.toString()) != null) {
        return -1; // unterminated, too many labels, or a label given twice
      }
      i = j + 1;
      while (i < n && isSpace(line.charAt(i))) {
        i++;
      }
      if (i < n && line.charAt(i) == ',') {
        i++;
      } else if (i >= n || line.charAt(i) != '}') {
        return -1;
      }
    }
  }

  /** A value as Prometheus writes it ("12", "1.5e-3", "+Inf", "-Inf", "NaN"); NaN when it is not one. */
  static double number(String text) {
    return switch (text) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> NUMBER.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
    };
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }
}
