package dev.distribank.node.api;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every refusal table shares: a fresh {@link RefusalFixture} consortium for the class, and the check, once its
 * rows have run, that no refused request changed anything.
 */
abstract class RefusalTables {
  @TempDir static Path dir;
  static RefusalFixture bank;

  @BeforeAll
  static void start() throws Exception {
    bank = new RefusalFixture(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    bank.assertNothingChanged();
    bank.close();
  }
}
