package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the pure core pure: {@code ledger} and {@code order} must run in a one-thread simulation driven by a seed,
 * so they may not do I/O, start threads, read a clock or draw random numbers, and they may not hold money in
 * {@code float}/{@code double}. Time and randomness are injected; everything else is an effect returned to the node.
 *
 * <p>The rule, per package (docs/architecture.md §1): {@code ledger} references only {@code java.*} and
 * {@code com.google.common.*}; {@code order} may also use {@code ledger}. Within those, the I/O, thread, clock and
 * randomness APIs below are banned. The check reads the source text (comments and string literals blanked first),
 * so it also catches fully-qualified uses that need no import, and members of {@code java.lang} that need none.
 */
class PureCoreImportsTest {
  private static final String CORE_DIR = "dev/distribank/node/core";

  /** The packages checked, each with the name prefixes it may reference besides its own package. */
  private static final List<CorePackage> CORE = List.of(
      new CorePackage("ledger", List.of("java", "com.google.common")),
      new CorePackage("order", List.of("java", "com.google.common", "dev.distribank.node.core.ledger")));

  /** How few files a package may have before we suspect the test is looking in the wrong place. */
  private static final int MIN_FILES_PER_PACKAGE = 3;

  /** Allowed by the prefixes above, still banned: why each would break the deterministic core. */
  private static final List<Ban> BANNED_NAMES = List.of(
      new Ban("java.io", "I/O"),
      new Ban("java.nio", "I/O"),
      new Ban("java.net", "network I/O"),
      new Ban("java.sql", "database I/O"),
      new Ban("java.rmi", "network I/O"),
      new Ban("java.util.logging", "logging is I/O; return what happened as an effect"),
      new Ban("java.util.Random", "randomness is injected, so a seed replays a run"),
      new Ban("java.util.random", "randomness is injected, so a seed replays a run"),
      new Ban("java.security.SecureRandom", "randomness is injected, so a seed replays a run"),
      new Ban("java.util.concurrent", "threads, executors, locks and atomics: one event loop owns the core"),
      new Ban("java.util.Timer", "timer threads: time arrives as tick()"),
      new Ban("java.util.TimerTask", "timer threads: time arrives as tick()"),
      new Ban("java.lang.Thread", "threads: one event loop owns the core"),
      new Ban("java.lang.System", "clock, environment and console: inject them"),
      new Ban("java.lang.Runtime", "processes and the JVM: not the core's business"),
      new Ban("com.google.common.util.concurrent", "futures and executors: one event loop owns the core"),
      new Ban("com.google.common.io", "I/O"),
      new Ban("com.google.common.base.Stopwatch", "reads the clock: time arrives as tick()"),
      new Ban("com.google.common.base.Ticker", "reads the clock: time arrives as tick()"));

  /** Uses of auto-imported {@code java.lang} members and of clock/random members of allowed classes. */
  private static final List<CodeBan> BANNED_CODE = List.of(
      new CodeBan("\\bSystem\\s*\\.\\s*(currentTimeMillis|nanoTime)\\b", "reads the clock: time arrives as tick()"),
      new CodeBan("\\bSystem\\s*\\.\\s*(in|out|err|console|getenv|getProperty|getProperties|getLogger|exit)\\b",
          "console, environment or process I/O"),
      new CodeBan("\\b(Instant|LocalDate|LocalTime|LocalDateTime|OffsetDateTime|OffsetTime|ZonedDateTime|Year"
          + "|YearMonth|MonthDay)\\s*\\.\\s*now\\b", "reads the clock: time arrives as tick()"),
      new CodeBan("\\bClock\\s*\\.\\s*(system\\w*|tick\\w*)\\b", "reads the clock: time arrives as tick()"),
      new CodeBan("\\b(Math|StrictMath)\\s*\\.\\s*random\\b", "randomness is injected, so a seed replays a run"),
      new CodeBan("\\bUUID\\s*\\.\\s*randomUUID\\b", "randomness is injected, so a seed replays a run"),
      new CodeBan("\\b(Thread|ThreadLocal|InheritableThreadLocal|Runtime|ProcessBuilder)\\b",
          "threads and processes: one event loop owns the core"),
      new CodeBan("\\b(synchronized|volatile)\\b", "the core is single-threaded; a lock means a second thread"),
      new CodeBan("\\b(float|double|Float|Double)\\b", "money is long minor units; no binary floating point"),
      new CodeBan("(?<![\\w.])(\\d[\\d_]*\\.\\d|\\.\\d+[eEfFdD]?\\b|\\d[\\d_]*[eE][+-]?\\d|\\d[\\d_]*[fFdD]\\b)",
          "a floating-point literal: money is long minor units"));

  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w$.]+?)(\\.\\*)?\\s*;");
  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+[\\w.]+\\s*;");
  /** A dotted name not preceded by a dot: {@code java.util.TreeMap}, {@code io.grpc.Status}, {@code a.b}. */
  private static final Pattern QUALIFIED =
      Pattern.compile("(?<![\\w$.])[A-Za-z_$][\\w$]*(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)+");
  /** First segments that make a dotted name a package name rather than a field chain like {@code this.x.y}. */
  private static final Set<String> PACKAGE_ROOTS =
      Set.of("java", "javax", "jakarta", "jdk", "sun", "com", "org", "io", "net", "dev");

  @Test
  void coreSources_referenceOnlyAllowedPackagesAndNoBannedApi() {
    var violations = new ArrayList<String>();
    for (CorePackage pkg : CORE) {
      List<Path> files = javaFiles(sourceRoot().resolve(CORE_DIR).resolve(pkg.name()));
      assertTrue(files.size() >= MIN_FILES_PER_PACKAGE, "found only " + files.size() + " .java files in "
          + pkg.name() + "; is the test reading the right directory (" + sourceRoot().toAbsolutePath() + ")?");
      for (Path file : files) {
        violations.addAll(violations(pkg.name() + "/" + file.getFileName(), read(file), pkg.allowedPrefixes()));
      }
    }
    if (!violations.isEmpty()) {
      fail("the pure core (ledger, order) must stay deterministic and free of I/O; fix or move:\n  "
          + String.join("\n  ", violations));
    }
  }

  /** Everything under {@code core} is pure: a new package there is checked, or this test says it is not. */
  @Test
  void everyPackageUnderCore_isChecked() throws IOException {
    Set<String> checked = new java.util.TreeSet<>();
    CORE.forEach(pkg -> checked.add(pkg.name()));
    Set<String> present = new java.util.TreeSet<>();
    try (Stream<Path> dirs = Files.list(sourceRoot().resolve(CORE_DIR))) {
      dirs.forEach(d -> present.add(d.getFileName().toString()));
    }
    assertEquals(checked, present, "every package under dev.distribank.node.core must be listed in CORE");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      import io.grpc.Status;                               | io.grpc.Status
      import com.google.protobuf.ByteString;               | com.google.protobuf.ByteString
      import dev.distribank.node.store.Store;              | dev.distribank.node.store.Store
      import java.util.*;                                  | wildcard
      import java.io.File;                                 | I/O
      import java.nio.file.Path;                           | I/O
      import java.net.InetAddress;                         | network
      import java.util.Random;                             | seed
      import java.util.concurrent.ConcurrentHashMap;       | event loop
      import java.util.concurrent.atomic.AtomicLong;       | event loop
      import static java.lang.System.nanoTime;             | clock
      import com.google.common.util.concurrent.Futures;    | event loop
      import com.google.common.base.Stopwatch;             | clock
      "var m = new java.util.concurrent.ConcurrentHashMap<String, Long>();" | event loop
      "var r = new java.util.Random(42);"                  | seed
      "io.grpc.Status s = null;"                           | io.grpc.Status
      "long t = System.currentTimeMillis();"               | clock
      "long t = System.nanoTime();"                        | clock
      "var now = java.time.Instant.now();"                 | clock
      "var now = Instant.now();"                           | clock
      "var id = UUID.randomUUID();"                        | seed
      "System.out.println(x);"                             | console
      "new Thread(r).start();"                             | threads
      "Thread.sleep(10);"                                  | threads
      "double rate = 0;"                                   | minor units
      "Float f = null;"                                    | minor units
      "long cents = (long) (x * 100.0);"                   | floating-point literal
      "long cents = (long) (x * 1e2);"                     | floating-point literal
      "synchronized (this) { }"                            | single-threaded
      """)
  void violations_forbiddenUse_reportedWithFileAndLine(String line, String expectedInReport) {
    String source = "package dev.distribank.node.core.ledger;\n\n" + line + "\n";

    List<String> found = violations("ledger/Sample.java", source, List.of("java", "com.google.common",
        "dev.distribank.node.core.ledger"));

    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("ledger/Sample.java:3: "), found.get(0));
    assertTrue(found.get(0).contains(expectedInReport), found.get(0));
  }

  @Test
  void violations_allowedCode_reportsNothing() {
    String source = """
        package dev.distribank.node.core.order;

        import static com.google.common.base.Preconditions.checkState;

        import com.google.common.collect.ImmutableList;
        import dev.distribank.node.core.ledger.Stamp;
        import java.time.Duration;
        import java.util.RandomAccess;
        import java.util.TreeMap;

        /** Threads, Random, System.nanoTime() and 0.5 in a comment are fine; so is a double in prose. */
        final class Sample implements RandomAccess {
          // new Thread(), Instant.now(), java.io.File: only words here.
          private static final String NOTE = "never call System.currentTimeMillis() or use a float";
          private static final char QUOTE = '"';
          private static final String BLOCK = \"""
              Thread.sleep(1); double d = 1.5;
              \""";
          private final java.util.Map<String, Long> byId = new java.util.LinkedHashMap<>();
          private final long maxCents = 1_000_000L;
          private final int hex = 0xFF + 0x1d;
          private long threadCount;
          private final long timeoutMillis = Duration.ofSeconds(5).toMillis();

          long next(long clock) {
            checkState(this.byId.size() >= 0);
            return Math.addExact(clock, 1L);
          }
        }
        """;

    assertEquals(List.of(), violations("order/Sample.java", source, CORE.get(1).allowedPrefixes()));
  }

  @Test
  void violations_orderImportingLedger_allowedButLedgerImportingOrder_reported() {
    String ledgerSource = "package dev.distribank.node.core.ledger;\nimport dev.distribank.node.core.order.Outcome;\n";
    String orderSource = "package dev.distribank.node.core.order;\nimport dev.distribank.node.core.ledger.Stamp;\n";

    assertEquals(1, violations("ledger/A.java", ledgerSource, CORE.get(0).allowedPrefixes()).size());
    assertEquals(List.of(), violations("order/B.java", orderSource, CORE.get(1).allowedPrefixes()));
  }

  // ---- the checker ----

  /** Every rule broken in {@code source}, as {@code label:line: what: why}, in line order. */
  static List<String> violations(String label, String source, List<String> allowedPrefixes) {
    var out = new ArrayList<String>();
    String[] lines = blankCommentsAndLiterals(source).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String where = label + ":" + (i + 1) + ": ";
      if (PACKAGE.matcher(line).find()) {
        continue;
      }
      Matcher imp = IMPORT.matcher(line);
      if (imp.find()) {
        String name = imp.group(2);
        if (imp.group(3) != null) {
          out.add(where + "import " + name + ".*: a wildcard import hides what the core uses; name each class");
        }
        checkName(name, allowedPrefixes).ifPresent(why -> out.add(where + "import " + name + ": " + why));
        continue;
      }
      Matcher q = QUALIFIED.matcher(line);
      while (q.find()) {
        String name = q.group().replaceAll("\\s", "");
        if (PACKAGE_ROOTS.contains(name.substring(0, name.indexOf('.')))) {
          checkName(name, allowedPrefixes).ifPresent(why -> out.add(where + name + ": " + why));
        }
      }
      for (CodeBan ban : BANNED_CODE) {
        Matcher m = ban.pattern().matcher(line);
        if (m.find()) {
          out.add(where + m.group().strip() + ": " + ban.why());
        }
      }
    }
    return out;
  }

  /** Why {@code name} may not be referenced, or empty if it may. */
  private static Optional<String> checkName(String name, List<String> allowedPrefixes) {
    if (allowedPrefixes.stream().noneMatch(prefix -> within(name, prefix))) {
      return Optional.of("outside " + String.join(", ", allowedPrefixes.stream().map(p -> p + ".*")
          .toList()) + "; the pure core does not depend on it");
    }
    return BANNED_NAMES.stream().filter(ban -> within(name, ban.name())).findFirst()
        .map(ban -> ban.name() + " is banned: " + ban.why());
  }

  /** Whether {@code name} is {@code prefix} or inside it, by whole segments: java.util.RandomAccess is fine. */
  private static boolean within(String name, String prefix) {
    return name.equals(prefix) || name.startsWith(prefix + ".");
  }

  /**
   * The source with comments, string and char literals and text blocks replaced by spaces, line breaks kept, so that
   * prose about threads or a message mentioning {@code System.nanoTime} is not mistaken for code.
   */
  static String blankCommentsAndLiterals(String src) {
    var out = new StringBuilder(src.length());
    int i = 0;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      int end;
      if (src.startsWith("//", i)) {
        end = src.indexOf('\n', i);
        end = end < 0 ? n : end;
      } else if (src.startsWith("/*", i)) {
        end = src.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        end = literalEnd(src, i + 3, "\"\"\"");
      } else if (c == '"' || c == '\'') {
        end = literalEnd(src, i + 1, String.valueOf(c));
      } else {
        out.append(c);
        i++;
        continue;
      }
      for (int k = i; k < end; k++) {
        out.append(src.charAt(k) == '\n' ? '\n' : ' ');
      }
      i = end;
    }
    return out.toString();
  }

  /** The index just past the {@code close} that ends a literal whose body starts at {@code from}. */
  private static int literalEnd(String src, int from, String close) {
    int i = from;
    while (i < src.length()) {
      if (src.charAt(i) == '\\') {
        i += 2;
      } else if (src.startsWith(close, i)) {
        return i + close.length();
      } else {
        i++;
      }
    }
    return src.length();
  }

  /**
   * {@code bank-node/src/main/java}: Maven runs tests in the module directory; an IDE may run them from the
   * repository root.
   */
  private static Path sourceRoot() {
    Path inModule = Path.of("src", "main", "java");
    return Files.isDirectory(inModule.resolve(CORE_DIR)) ? inModule : Path.of("bank-node").resolve(inModule);
  }

  private static List<Path> javaFiles(Path dir) {
    assertTrue(Files.isDirectory(dir), "no directory " + dir.toAbsolutePath());
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record CorePackage(String name, List<String> alsoAllowed) {
    /** The given prefixes plus the package itself, so a fully-qualified reference to a sibling class is fine. */
    List<String> allowedPrefixes() {
      var all = new ArrayList<>(alsoAllowed);
      all.add("dev.distribank.node." + name);
      return all;
    }
  }

  private record Ban(String name, String why) {}

  private record CodeBan(Pattern pattern, String why) {
    CodeBan(String regex, String why) {
      this(Pattern.compile(regex), why);
    }
  }
}
