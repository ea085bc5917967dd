package dev.distribank.cli.top;

import dev.distribank.cli.top.Endpoints.Endpoint;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches every bank's {@code /metrics} at once, each within a deadline, and never fails: a bank that refuses the
 * connection, answers late, answers with an error status, or sends more than {@link #MAX_ANSWER_BYTES} gets a
 * {@link Scrape} that says why instead of metrics.
 */
final class MetricsScraper implements AutoCloseable {
  /** A node's /metrics is tens of kilobytes; anything near this is not one, and is not read further. */
  static final int MAX_ANSWER_BYTES = 8 << 20;
  /** Ask for the classic text format first; OpenMetrics is read too. */
  private static final String ACCEPT = "text/plain;version=0.0.4;q=1.0,application/openmetrics-text;q=0.5,*/*;q=0.1";

  /** What one scrape of one bank found: its metrics, or (metrics null) why there are none. */
  record Scrape(MetricsScrape metrics, String problem) {
    static Scrape failed(String problem) {
      return new Scrape(null, problem);
    }

    boolean ok() {
      return metrics != null;
    }
  }

  private final HttpClient http = HttpClient.newBuilder()
      // Plain HTTP/1.1: no h2c upgrade dance with a small server; never follow a redirect away from the address given.
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  /** Scrapes every endpoint in parallel; each answer must be complete within {@code timeout}. Results in order. */
  List<Scrape> scrapeAll(List<Endpoint> endpoints, Duration timeout) {
    List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
    for (Endpoint e : endpoints) {
      // The request's own timeout only backs up the deadline below, which also covers a body that trickles in.
      HttpRequest request = HttpRequest.newBuilder(e.url()).timeout(timeout.multipliedBy(2)).header("Accept", ACCEPT)
          .GET().build();
      pending.add(http.sendAsync(request, info -> info.statusCode() == 200
          ? new CappedBody(MAX_ANSWER_BYTES)
          : BodySubscribers.replacing(null)));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Scrape> scrapes = new ArrayList<>();
    for (CompletableFuture<HttpResponse<byte[]>> answer : pending) {
      scrapes.add(await(answer, deadline, timeout));
    }
    return scrapes;
  }

  private static Scrape await(CompletableFuture<HttpResponse<byte[]>> answer, long deadline, Duration timeout) {
    try {
      HttpResponse<byte[]> response = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (response.statusCode() != 200) {
        return Scrape.failed("answered HTTP " + response.statusCode());
      }
      // Malformed UTF-8 becomes U+FFFD here rather than an exception.
      MetricsScrape metrics = MetricsScrape.parse(new String(response.body(), StandardCharsets.UTF_8));
      if (!metrics.hasBankMetrics()) {
        return Scrape.failed("answered, but with no distribank_ metrics (is it a bank's --metrics-listen?)");
      }
      return new Scrape(metrics, "");
    } catch (TimeoutException e) {
      answer.cancel(true); // the client's own future: this aborts the exchange, a dependent's would not
      return Scrape.failed("no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      return Scrape.failed(describe(e.getCause()));
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      return Scrape.failed("interrupted");
    }
  }

  /** Why a scrape failed, in a few words fit for a terminal (no control characters, whatever the cause says). */
  static String describe(Throwable failure) {
    Throwable last = failure;
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < 16; t = t.getCause()) {
      String known = switch (t) {
        case BadAnswer bad -> bad.getMessage();
        case HttpConnectTimeoutException timeout -> "connect timed out";
        case ConnectException refused -> "connection refused";
        case HttpTimeoutException timeout -> "no answer in time";
        default -> null;
      };
      if (known != null) {
        return known;
      }
      last = t;
    }
    return printable(last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage());
  }

  /** {@code text} with control characters replaced and cut to a line's length. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(160).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }

  @Override
  public void close() {
    // Not close(), which waits for exchanges in flight: a hostile endpoint could hold one open for ever.
    http.shutdownNow();
  }

  /** A failure that is the answer's fault: an answer too large. */
  private static final class BadAnswer extends RuntimeException {
    BadAnswer(String message) {
      super(message);
    }
  }

  /** Collects an answer's bytes, and gives up (cancelling the download) past {@code max} of them. */
  private static final class CappedBody implements BodySubscriber<byte[]> {
    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    CappedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return; // given up on already; buffers may still arrive after the cancel
      }
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + buffer.remaining() > max) {
          subscription.cancel();
          body.completeExceptionally(new BadAnswer("answered more than " + (max >> 20) + " MiB"));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toByteArray());
    }
  }
}
