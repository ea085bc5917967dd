package dev.distribank.node.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes OpenTelemetry metric data in the Prometheus text exposition format (version 0.0.4), named by OpenTelemetry's
 * Prometheus compatibility rules: dots become underscores, the unit becomes a suffix ({@code s} → {@code _seconds},
 * {@code By} → {@code _bytes}, annotations like {@code {call}} are dropped), counters end in {@code _total}. Every
 * series also carries the resource's {@code bank} attribute as a label, and the resource itself is
 * {@code target_info}. (OpenTelemetry's own Prometheus exporter does the same; it is not served by the registry this
 * project builds from.)
 */
final class PrometheusText {
  /** The content type of what {@link #write} returns. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** The resource attribute promoted to a label on every series. */
  static final AttributeKey<String> BANK = AttributeKey.stringKey("bank");

  private static final Pattern INVALID_NAME = Pattern.compile("[^a-zA-Z0-9_:]");
  private static final Pattern INVALID_LABEL = Pattern.compile("[^a-zA-Z0-9_]");
  private static final Pattern UNDERSCORES = Pattern.compile("__+");
  private static final Pattern ANNOTATION = Pattern.compile("\\{[^}]*}");
  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
      Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
      Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
      Map.entry("GiBy", "gibibytes"), Map.entry("KBy", "kilobytes"), Map.entry("MBy", "megabytes"),
      Map.entry("GBy", "gigabytes"), Map.entry("%", "percent"), Map.entry("Hz", "hertz"));
  private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute", "h", "hour",
      "d", "day", "w", "week", "mo", "month", "y", "year");

  private PrometheusText() {}

  /** One metric family: its Prometheus name, type, help and sample lines. */
  private record Family(String type, String help, List<String> samples) {}

  /** Everything in {@code metrics}, families sorted by name, then {@code target_info} for {@code resource}. */
  static String write(Collection<MetricData> metrics, Resource resource) {
    String bank = resource.getAttribute(BANK);
    String constant = bank == null ? "" : "bank=\"" + escapeValue(bank) + "\"";
    var families = new TreeMap<String, Family>();
    for (MetricData m : metrics) {
      String type = type(m);
      if (type == null || m.isEmpty()) {
        continue;
      }
      String name = name(m.getName(), m.getUnit(), type);
      Family family = families.computeIfAbsent(name, n -> new Family(type, m.getDescription(), new ArrayList<>()));
      if (family.type().equals(type)) {
        samples(name, m, constant, family.samples());
      }
      // else: two instruments map to one name with different types; the first keeps it (it cannot happen here).
    }
    var out = new StringBuilder(16_384);
    families.forEach((name, family) -> {
      if (!family.help().isEmpty()) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(family.help())).append('\n');
      }
      out.append("# TYPE ").append(name).append(' ').append(family.type()).append('\n');
      family.samples().stream().sorted().forEach(line -> out.append(line).append('\n'));
    });
    out.append("# HELP target_info Target metadata\n# TYPE target_info gauge\n");
    out.append("target_info").append(labels(resource.getAttributes(), "")).append(" 1\n");
    return out.toString();
  }

  /** counter, gauge or histogram; null for what Prometheus' text format has no type for (exponential histograms). */
  private static String type(MetricData m) {
    return switch (m.getType()) {
      case LONG_SUM -> m.getLongSumData().isMonotonic() ? "counter" : "gauge";
      case DOUBLE_SUM -> m.getDoubleSumData().isMonotonic() ? "counter" : "gauge";
      case LONG_GAUGE, DOUBLE_GAUGE -> "gauge";
      case HISTOGRAM -> "histogram";
      case EXPONENTIAL_HISTOGRAM, SUMMARY -> null;
    };
  }

  /** The Prometheus name of a metric: sanitized, with its unit's suffix and, for a counter, {@code _total}. */
  static String name(String metric, String unitOfMeasure, String type) {
    String name = UNDERSCORES.matcher(INVALID_NAME.matcher(metric).replaceAll("_")).replaceAll("_");
    if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
      name = "_" + name;
    }
    String unit = unitSuffix(unitOfMeasure, type);
    if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
      name += "_" + unit;
    }
    if (type.equals("counter") && !name.endsWith("_total")) {
      name += "_total";
    }
    return name;
  }

  /** {@code s} → seconds, {@code By/s} → bytes_per_second, {@code {x}} → nothing, {@code 1} → ratio (gauges). */
  static String unitSuffix(String unit, String type) {
    String u = ANNOTATION.matcher(unit == null ? "" : unit).replaceAll("").trim();
    if (u.equals("1")) {
      return type.equals("gauge") ? "ratio" : "";
    }
    if (u.isEmpty()) {
      return "";
    }
    int slash = u.indexOf('/');
    if (slash >= 0) {
      String per = u.substring(slash + 1);
      String head = u.substring(0, slash);
      String suffix = (head.isEmpty() ? "" : UNITS.getOrDefault(head, head) + "_") + "per_"
          + PER_UNITS.getOrDefault(per, per);
      return UNDERSCORES.matcher(INVALID_NAME.matcher(suffix).replaceAll("_")).replaceAll("_");
    }
    return UNDERSCORES.matcher(INVALID_NAME.matcher(UNITS.getOrDefault(u, u)).replaceAll("_")).replaceAll("_");
  }

  private static void samples(String name, MetricData m, String constant, List<String> out) {
    switch (m.getType()) {
      case LONG_SUM -> m.getLongSumData().getPoints().forEach(p -> out.add(sample(name, p, constant, p.getValue())));
      case LONG_GAUGE -> m.getLongGaugeData().getPoints()
          .forEach(p -> out.add(sample(name, p, constant, p.getValue())));
      case DOUBLE_SUM -> m.getDoubleSumData().getPoints().forEach(p -> out.add(sample(name, p, constant)));
      case DOUBLE_GAUGE -> m.getDoubleGaugeData().getPoints().forEach(p -> out.add(sample(name, p, constant)));
      case HISTOGRAM -> m.getHistogramData().getPoints().forEach(p -> histogram(name, p, constant, out));
      default -> { }
    }
  }

  private static String sample(String name, PointData p, String constant, long value) {
    return name + labels(p.getAttributes(), constant) + " " + value;
  }

  private static String sample(String name, DoublePointData p, String constant) {
    return name + labels(p.getAttributes(), constant) + " " + number(p.getValue());
  }

  /**
   * One histogram point as cumulative {@code _bucket} lines (the last, {@code le="+Inf"}, is the count), then
   * {@code _sum} and {@code _count}. Kept together as one entry so sorting keeps its buckets in order.
   */
  private static void histogram(String name, HistogramPointData p, String constant, List<String> out) {
    String labels = labels(p.getAttributes(), constant);
    String open = labels.isEmpty() ? "{" : labels.substring(0, labels.length() - 1) + ",";
    var lines = new StringBuilder();
    long cumulative = 0;
    List<Double> bounds = p.getBoundaries();
    List<Long> counts = p.getCounts();
    for (int i = 0; i < bounds.size(); i++) {
      cumulative += counts.get(i);
      lines.append(name).append("_bucket").append(open).append("le=\"").append(number(bounds.get(i)))
          .append("\"} ").append(cumulative).append('\n');
    }
    lines.append(name).append("_bucket").append(open).append("le=\"+Inf\"} ").append(p.getCount()).append('\n');
    lines.append(name).append("_sum").append(labels).append(' ').append(number(p.getSum())).append('\n');
    lines.append(name).append("_count").append(labels).append(' ').append(p.getCount());
    out.add(lines.toString());
  }

  /** {@code {bank="alpha",grpc_method="..."}}, or "" with no labels at all. */
  private static String labels(Attributes attributes, String constant) {
    var out = new StringBuilder();
    if (!constant.isEmpty()) {
      out.append(constant);
    }
    attributes.forEach((key, value) -> {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(labelName(key.getKey())).append("=\"").append(escapeValue(String.valueOf(value))).append('"');
    });
    return out.length() == 0 ? "" : "{" + out + "}";
  }

  static String labelName(String key) {
    String name = INVALID_LABEL.matcher(key).replaceAll("_");
    return name.isEmpty() || Character.isDigit(name.charAt(0)) ? "key_" + name : name;
  }

  static String escapeValue(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /**
   * A sample value or bucket bound as Prometheus reads it: 0.005, 12, 1.5E-7, NaN, +Inf. A double because the
   * exposition format's values are floats (seconds, counts); no money passes through here.
   */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    double magnitude = Math.abs(value);
    if (value != 0 && (magnitude < 1e-6 || magnitude >= 1e15)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
