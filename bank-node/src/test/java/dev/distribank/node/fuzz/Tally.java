package dev.distribank.node.fuzz;

import dev.distribank.node.fuzz.AnswerRules.Violation;
import dev.distribank.node.fuzz.RawCalls.Answer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What a run sent and got: answers per status code and requests per category, and every broken rule grouped by
 * method, category and rule, each with its count and the lowest-numbered request that broke it. Thread-safe.
 */
final class Tally {
  private final Map<String, LongAdder> byCode = new ConcurrentSkipListMap<>();
  private final Map<String, LongAdder> byCategory = new ConcurrentSkipListMap<>();
  private final Map<String, Finding> findings = new ConcurrentHashMap<>();
  private final LongAdder requests = new LongAdder();

  /** One way a rule broke: how often, and the first request (lowest index) that broke it, as a report shows it. */
  private record Finding(long count, long firstIndex, String example) {}

  void record(long index, Attempt attempt, Answer answer, List<Violation> violations) {
    requests.increment();
    byCode.computeIfAbsent(answer.status().getCode().name(), k -> new LongAdder()).increment();
    byCategory.computeIfAbsent(attempt.category(), k -> new LongAdder()).increment();
    for (Violation v : violations) {
      String key = attempt.shortMethod() + " [" + attempt.category() + "]: " + v.rule();
      // Rendering a request is not cheap (a field may hold 100,000 characters): only for a new first example.
      findings.compute(key, (k, old) -> old == null || index < old.firstIndex()
          ? new Finding(old == null ? 1 : old.count() + 1, index, example(index, attempt, answer))
          : new Finding(old.count() + 1, old.firstIndex(), old.example()));
    }
  }

  long requests() {
    return requests.sum();
  }

  boolean clean() {
    return findings.isEmpty();
  }

  /** The one-line summary: requests, answers per code, time. */
  String summary(long seed, long millis) {
    return "fuzz: " + requests() + " requests in " + millis + " ms (seed " + seed + "): " + counts(byCode)
        + (clean() ? "" : "; " + findings.size() + " kinds of broken rule");
  }

  String categories() {
    return "fuzz: by category: " + counts(byCategory);
  }

  /** The broken rules, most frequent first, at most {@code max} of them, each with its first example. */
  String report(int max) {
    var lines = findings.entrySet().stream()
        .sorted((a, b) -> a.getValue().count() != b.getValue().count()
            ? Long.compare(b.getValue().count(), a.getValue().count()) : a.getKey().compareTo(b.getKey()))
        .limit(max)
        .map(e -> "  " + e.getValue().count() + "x " + e.getKey() + "\n      first: " + e.getValue().example())
        .collect(Collectors.joining("\n"));
    return findings.size() + " kinds of broken rule" + (findings.size() > max ? " (the " + max + " most frequent)" : "")
        + ":\n" + lines;
  }

  private static String counts(Map<String, LongAdder> counts) {
    return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().sum())
        .collect(Collectors.joining(", "));
  }

  private static String example(long index, Attempt attempt, Answer answer) {
    String description = answer.status().getDescription();
    return attempt.describe(index) + "\n      answer: " + answer.status().getCode() + " "
        + HostileText.show(description == null ? "" : description);
  }
}
