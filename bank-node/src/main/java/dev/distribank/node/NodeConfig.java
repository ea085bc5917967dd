package dev.distribank.node;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Everything a bank node needs to start: who it is, where it listens, where it keeps its data.
 *
 * @param bank the bank id, {@code [a-z][a-z0-9-]{1,15}}
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one (tests)
 * @param dataDir the RocksDB directory, created if missing
 * @param adminToken the bearer token of AdminService calls; never defaulted
 * @param sessionTtl how long a login token lives
 * @param passwordIterations PBKDF2 iterations for new password hashes (existing hashes keep their own count)
 */
public record NodeConfig(
    String bank,
    String host,
    int port,
    Path dataDir,
    String adminToken,
    Duration sessionTtl,
    int passwordIterations) {

  /** OWASP's 2023 floor for PBKDF2-HMAC-SHA256. */
  public static final int MIN_PASSWORD_ITERATIONS = 210_000;

  public static final Pattern BANK_ID = Pattern.compile("[a-z][a-z0-9-]{1,15}");

  public NodeConfig {
    checkNotNull(bank, "bank");
    checkArgument(BANK_ID.matcher(bank).matches(), "bank id '%s' must match %s", bank, BANK_ID);
    checkNotNull(host, "host");
    checkArgument(port >= 0 && port <= 65535, "port %s out of range", port);
    checkNotNull(dataDir, "dataDir");
    checkNotNull(adminToken, "adminToken");
    checkArgument(adminToken.length() >= 8, "the admin token must have at least 8 characters");
    checkArgument(!sessionTtl.isNegative() && !sessionTtl.isZero(), "sessionTtl must be positive");
    checkArgument(passwordIterations >= 1, "passwordIterations must be positive");
  }

  /**
   * A node on a free loopback port with a low password-hash cost, for tests that create many customers quickly.
   * The hashing itself is tested at full cost.
   */
  public static NodeConfig forTest(String bank, Path dataDir) {
    return new NodeConfig(bank, "127.0.0.1", 0, dataDir, "test-admin-token", Duration.ofHours(1), 1_000);
  }

  public NodeConfig withPort(int newPort) {
    return new NodeConfig(bank, host, newPort, dataDir, adminToken, sessionTtl, passwordIterations);
  }
}
