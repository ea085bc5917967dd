package dev.distribank.node.auth;

import static com.google.common.base.Preconditions.checkArgument;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow password hashes: PBKDF2-HMAC-SHA256 from the JDK. The encoding carries its own iteration count, so
 * raising the cost later leaves old hashes verifiable.
 */
public final class PasswordHasher {
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  public static final int MIN_PASSWORD_LENGTH = 8;
  public static final int MAX_PASSWORD_LENGTH = 128;

  private final int iterations;
  private final SecureRandom random;
  /** Verified against when a login is unknown, so unknown logins and wrong passwords take the same time. */
  private final String decoy;

  public PasswordHasher(int iterations, SecureRandom random) {
    checkArgument(iterations > 0);
    this.iterations = iterations;
    this.random = random;
    this.decoy = hash("decoy-password-never-matches");
  }

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] derived = derive(password, salt, iterations);
    var b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);
  }

  /**
   * Whether {@code password} matches {@code encoded}; with a null {@code encoded}, spends the same time and fails.
   * A password holding U+0000 never matches: HMAC pads a short key with zero bytes, so PBKDF2-HMAC cannot tell
   * "secret" from "secret\0" — without this, a stranger could sign in with a password that is not the customer's.
   */
  public boolean verify(String password, String encoded) {
    boolean known = encoded != null;
    String[] parts = (known ? encoded : decoy).split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    byte[] actual = derive(password, salt, Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual) && known && password.indexOf('\0') < 0;
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }
}
