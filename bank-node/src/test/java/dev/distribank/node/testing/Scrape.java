package dev.distribank.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scrape of a node's {@code /metrics}, parsed: every sample by its series (name and labels, as written) and every
 * family's {@code # TYPE}. For tests that look for series and watch them move.
 */
public final class Scrape {
  private final String text;
  private final Map<String, Double> samples = new LinkedHashMap<>();
  private final Map<String, String> types = new LinkedHashMap<>();

  public Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
  }

  /** GET http://127.0.0.1:{port}/metrics; fails unless it answers 200 in Prometheus' text format. */
  public static Scrape of(int port) {
    try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200
          || !response.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4")) {
        throw new IllegalStateException("scrape answered " + response.statusCode() + " " + response.headers());
      }
      return new Scrape(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String text() {
    return text;
  }

  /** The value of the series written exactly {@code series} (e.g. {@code x_total{bank="alpha"}}); 0 if absent. */
  public double value(String series) {
    return samples.getOrDefault(series, 0.0);
  }

  public boolean has(String series) {
    return samples.containsKey(series);
  }

  /** The sum of every series of {@code name} whose labels contain all of {@code labels} ("k=\"v\"" each). */
  public double sum(String name, String... labels) {
    double total = 0;
    for (var e : samples.entrySet()) {
      String series = e.getKey();
      int brace = series.indexOf('{');
      String family = brace < 0 ? series : series.substring(0, brace);
      if (!family.equals(name)) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= series.contains(label);
      }
      if (all) {
        total += e.getValue();
      }
    }
    return total;
  }

  /** The {@code # TYPE} of a family (counter, gauge, histogram), or null. */
  public String type(String name) {
    return types.get(name);
  }
}
