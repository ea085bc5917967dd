package dev.distribank.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** OpenTelemetry instruments come out under the names, types and text Prometheus expects. */
class PrometheusTextTest {
  static final Resource RESOURCE = Resource.create(Attributes.of(PrometheusText.BANK, "alpha"));

  @ParameterizedTest(name = "{0} {1} [{2}] -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      # OpenTelemetry name             | type      | unit          | Prometheus name
      grpc.server.call.started         | counter   | {call}        | grpc_server_call_started_total
      grpc.server.call.duration        | histogram | s             | grpc_server_call_duration_seconds
      grpc.server.call.sent_total_compressed_message_size | histogram | By |\
        grpc_server_call_sent_total_compressed_message_size_bytes
      distribank.fsync.duration        | histogram | s             | distribank_fsync_duration_seconds
      distribank.group_commit.size     | histogram | {task}        | distribank_group_commit_size
      distribank.in_doubt.oldest_age   | gauge     | s             | distribank_in_doubt_oldest_age_seconds
      distribank.lamport_clock         | gauge     | ''            | distribank_lamport_clock
      distribank.transactions          | counter   | {transaction} | distribank_transactions_total
      cpu.utilization                  | gauge     | 1             | cpu_utilization_ratio
      requests                         | counter   | 1             | requests_total
      net.io                           | counter   | By/s          | net_io_bytes_per_second_total
      already_seconds                  | gauge     | s             | already_seconds
      2xx..responses                   | counter   | ms            | _2xx_responses_milliseconds_total
      """)
  void name_followsOpenTelemetrysPrometheusRules(String name, String type, String unit, String expected) {
    assertEquals(expected, PrometheusText.name(name, unit, type));
  }

  @Test
  void counterGaugeHistogram_typedLabelledEscaped_bankOnEverySeries() {
    var reader = new PullReader();
    try (var provider = SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader).build()) {
      var meter = provider.get("test");
      var reason = AttributeKey.stringKey("reason");
      meter.counterBuilder("distribank.transactions").setUnit("{transaction}").setDescription("Finished\nhere")
          .build().add(3, Attributes.of(reason, "quote\" back\\slash\nnewline"));
      meter.gaugeBuilder("distribank.in_doubt.oldest_age").setUnit("s").buildWithCallback(m -> m.record(1.5));
      var histogram = meter.histogramBuilder("distribank.fsync.duration").setUnit("s")
          .setExplicitBucketBoundariesAdvice(List.of(0.001, 0.01)).build();
      histogram.record(0.0005);
      histogram.record(0.005);
      histogram.record(0.5);

      String text = PrometheusText.write(reader.collect(), RESOURCE);

      assertTrue(text.contains("# HELP distribank_transactions_total Finished\\nhere\n"
          + "# TYPE distribank_transactions_total counter\n"
          + "distribank_transactions_total{bank=\"alpha\",reason=\"quote\\\" back\\\\slash\\nnewline\"} 3\n"), text);
      assertTrue(text.contains("# TYPE distribank_in_doubt_oldest_age_seconds gauge\n"
          + "distribank_in_doubt_oldest_age_seconds{bank=\"alpha\"} 1.5\n"), text);
      assertTrue(text.contains("# TYPE distribank_fsync_duration_seconds histogram\n"
          + "distribank_fsync_duration_seconds_bucket{bank=\"alpha\",le=\"0.001\"} 1\n"
          + "distribank_fsync_duration_seconds_bucket{bank=\"alpha\",le=\"0.01\"} 2\n"
          + "distribank_fsync_duration_seconds_bucket{bank=\"alpha\",le=\"+Inf\"} 3\n"
          + "distribank_fsync_duration_seconds_sum{bank=\"alpha\"} 0.5055\n"
          + "distribank_fsync_duration_seconds_count{bank=\"alpha\"} 3\n"), text);
      assertTrue(text.endsWith("# TYPE target_info gauge\ntarget_info{bank=\"alpha\"} 1\n"), text);
    }
  }

  @ParameterizedTest
  @CsvSource({"0.005,0.005", "12.0,12", "0.0,0", "1.5E-7,1.5E-7", "2.5E15,2.5E15", "100.25,100.25"})
  void number_asPrometheusReadsIt(double value, String expected) {
    assertEquals(expected, PrometheusText.number(value));
  }

  @Test
  void number_nonFinite() {
    assertEquals("NaN", PrometheusText.number(Double.NaN));
    assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", PrometheusText.number(Double.NEGATIVE_INFINITY));
  }
}
