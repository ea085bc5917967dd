package dev.distribank.node.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A password matches only itself, including where HMAC's zero padding would say otherwise. */
class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(1_000, new java.security.SecureRandom());

  @Test
  void theSamePasswordWithATrailingNul_doesNotMatch() {
    String encoded = hasher.hash("correct horse");
    assertTrue(hasher.verify("correct horse", encoded));
    assertFalse(hasher.verify("correct horse\0", encoded), "HMAC pads keys with zeros: PBKDF2 alone would say yes");
    assertFalse(hasher.verify("correct horse\0\0", encoded));
    assertFalse(hasher.verify("correct hors", encoded));
  }
}
