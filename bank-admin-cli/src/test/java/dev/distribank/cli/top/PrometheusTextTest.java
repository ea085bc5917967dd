package dev.distribank.cli.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.top.PrometheusText.Parsed;
import dev.distribank.cli.top.PrometheusText.Sample;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static List<Sample> samples(String text) {
    return PrometheusText.parse(text, name -> true).samples();
  }

  @Test
  void parse_theFormsAnExporterWrites() {
    List<Sample> s = samples("""
        # HELP a_total Things.
        # TYPE a_total counter
        a_total 3
        b{x="1",y="two words"} 1.5e-3 1700000000000
        c{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb",} +Inf
        d{} -Inf
        e NaN
        f_bucket{le="0.5"} 7 # {trace_id="abc"} 0.4 1700000000.1
        # EOF
        """);
    assertEquals(6, s.size(), s::toString);
    assertEquals(new Sample("a_total", Map.of(), 3), s.get(0));
    assertEquals(Map.of("x", "1", "y", "two words"), s.get(1).labels());
    assertEquals(0.0015, s.get(1).value());
    assertEquals(Map.of("path", "C:\\dir", "quote", "say \"hi\"", "nl", "a\nb"), s.get(2).labels());
    assertEquals(Double.POSITIVE_INFINITY, s.get(2).value());
    assertEquals(Double.NEGATIVE_INFINITY, s.get(3).value());
    assertTrue(Double.isNaN(s.get(4).value()));
    assertEquals(7, s.get(5).value());
    assertEquals("0.5", s.get(5).label("le"));
  }

  @Test
  void parse_eachMalformedLine_isSkippedAndCounted() {
    String[] bad = {
        "9starts_with_a_digit 1",
        "name",
        "name 1 2 3",
        "name one",
        "name 1d",
        "name 0x1p3",
        "name Infinity",
        "name{x=\"1\" 1",
        "name{x=1} 1",
        "name{x=\"unterminated} 1",
        "name{x=\"1\",x=\"2\"} 1",
        "name{1x=\"1\"} 1",
        "name{x=\"1\"}} 1",
        "name 1 not-a-timestamp",
        "na-me 1",
        "\u001b[31mred 1",
        "x".repeat(PrometheusText.MAX_LINE_CHARS + 1) + " 1",
    };
    for (String line : bad) {
      Parsed parsed = PrometheusText.parse("good 1\n" + line + "\ngood 2\n", name -> true);
      assertEquals(2, parsed.samples().size(), () -> "kept something of: " + line + " -> " + parsed);
      assertEquals(1, parsed.unreadableLines(), line);
    }
  }

  @Test
  void parse_tooManyLabels_orSamples_isBounded() {
    StringBuilder labels = new StringBuilder("m{");
    for (int i = 0; i <= PrometheusText.MAX_LABELS; i++) {
      labels.append("l").append(i).append("=\"v\",");
    }
    assertEquals(0, samples(labels.append("} 1\n").toString()).size());
    String many = "m 1\n".repeat(PrometheusText.MAX_SAMPLES + 10);
    Parsed parsed = PrometheusText.parse(many, name -> true);
    assertEquals(PrometheusText.MAX_SAMPLES, parsed.samples().size());
    assertEquals(10, parsed.unreadableLines());
  }

  @Test
  void parse_keepsOnlyTheNamesAsked() {
    Parsed parsed = PrometheusText.parse("distribank_a 1\njvm_memory 2\n", MetricsScrape.READ);
    assertEquals(List.of("distribank_a"), parsed.samples().stream().map(Sample::name).toList());
  }

  @Test
  void parse_randomBytes_neverThrows() {
    SplittableRandom random = new SplittableRandom(11);
    String alphabet = "ab_{}=\",\\ \n\t#0123456789.eE+-InfNaN\u0000\u00ff\u001b";
    for (int round = 0; round < 2_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(400);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      Parsed parsed = PrometheusText.parse(text.toString(), name -> true);
      MetricsScrape scrape = MetricsScrape.parse(text.toString());
      scrape.bucketIncrease(scrape, "a", s -> true).quantile(0.99);
      assertTrue(parsed.samples().size() + parsed.unreadableLines() <= text.toString().split("\n", -1).length);
    }
  }
}
