package dev.distribank.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's own files, which these tests check (the pom sets deploy.repoRoot; the module's parent else). */
final class RepoFiles {
  private RepoFiles() {}

  static Path root() {
    String root = System.getProperty("deploy.repoRoot");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static String read(String relative) throws IOException {
    return Files.readString(path(relative));
  }

  /** The uid deploy/Dockerfile gives the image's user (useradd --uid N). */
  static long imageUid() throws IOException {
    Matcher m = Pattern.compile("useradd [^\\n]*--uid (\\d+)").matcher(read("deploy/Dockerfile"));
    if (!m.find()) {
      throw new AssertionError("deploy/Dockerfile has no `useradd ... --uid N`");
    }
    return Long.parseLong(m.group(1));
  }

  /** A copy of deploy/k8s in {@code dir}, to seed mistakes into. */
  static Path copyOfK8s(Path dir) throws IOException {
    try (var files = Files.list(path("deploy/k8s"))) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    return dir;
  }
}
