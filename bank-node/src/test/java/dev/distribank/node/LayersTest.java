package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the one facade the only way in: the gRPC services ({@code api}) reach the bank through the application
 * ({@code app}) and the core's domain values, never the event loop, the store, the peers or the password machinery;
 * the application speaks domain values, never gRPC or generated messages. Like {@link PureCoreImportsTest}, it reads
 * the source text with comments and string literals blanked, so fully-qualified names count too.
 */
class LayersTest {
  @ParameterizedTest(name = "{0} never references {1}")
  @CsvSource(delimiter = ';', textBlock = """
      # package ; forbidden names, as a regular expression
      api       ; dev\\.distribank\\.node\\.(loop|peer|store|auth|tls)\\b
      app       ; io\\.grpc\\b
      app       ; dev\\.distribank\\.proto\\b
      app       ; dev\\.distribank\\.node\\.(api|peer|tls)\\b
      """)
  void packageNeverReferences(String pkg, String forbidden) {
    Path dir = sourceRoot().resolve("dev/distribank/node").resolve(pkg);
    var pattern = Pattern.compile(forbidden);
    var found = new ArrayList<String>();
    List<Path> files = javaFiles(dir);
    assertFalse(files.isEmpty(), "no sources in " + dir.toAbsolutePath());
    for (Path file : files) {
      String code = PureCoreImportsTest.blankCommentsAndLiterals(read(file));
      var m = pattern.matcher(code);
      while (m.find()) {
        found.add(file.getFileName() + ": " + m.group());
      }
    }
    assertEquals(List.of(), found);
  }

  private static Path sourceRoot() {
    Path inModule = Path.of("src", "main", "java");
    return Files.isDirectory(inModule) ? inModule : Path.of("bank-node").resolve(inModule);
  }

  private static List<Path> javaFiles(Path dir) {
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
}
