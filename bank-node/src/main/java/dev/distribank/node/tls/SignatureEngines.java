package dev.distribank.node.tls;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.conscrypt.Conscrypt;

/**
 * Where the vote signatures' ECDSA runs: in BoringSSL through Conscrypt, about eight times the JDK's own speed (on the
 * build machine, P-256: sign 21 µs against 170, verify 54 µs against 410 — for one transfer at a time, a bank's
 * event loop spent 38% of its time signing); or in the JDK where Conscrypt's native library does not load, or with
 * {@code -Ddistribank.signatures=jdk}. The signatures are the same standard DER ECDSA either way: a bank of either
 * kind checks the other's.
 */
final class SignatureEngines {
  private static final Logger log = Logger.getLogger(SignatureEngines.class.getName());
  /** Keys translated for the native engine, by the key they stand for; a bank has a handful (more after rotations). */
  private static final int CACHE = 256;
  private static final Provider NATIVE = load();
  private static final Map<Key, Key> translated = new ConcurrentHashMap<>();

  private SignatureEngines() {}

  /** Whether ECDSA runs natively (BoringSSL), not in the JDK. */
  static boolean isNative() {
    return NATIVE != null;
  }

  /** What signs and checks, for the log. */
  static String describe() {
    if (NATIVE == null) {
      return "the JDK's own";
    }
    Conscrypt.Version v = Conscrypt.version();
    return "BoringSSL, through Conscrypt" + (v == null ? "" : " " + v.major() + "." + v.minor() + "." + v.patch());
  }

  /** A signer with {@code key}, for {@code algorithm} (e.g. SHA256withECDSA). */
  static Signature signer(String algorithm, PrivateKey key) throws GeneralSecurityException {
    Signature s = instance(algorithm);
    s.initSign(s.getProvider() == NATIVE ? (PrivateKey) translate(key) : key);
    return s;
  }

  /** A verifier with {@code key}, for {@code algorithm}. */
  static Signature verifier(String algorithm, PublicKey key) throws GeneralSecurityException {
    Signature s = instance(algorithm);
    s.initVerify(s.getProvider() == NATIVE ? (PublicKey) translate(key) : key);
    return s;
  }

  private static Signature instance(String algorithm) throws NoSuchAlgorithmException {
    if (NATIVE != null) {
      try {
        return Signature.getInstance(algorithm, NATIVE);
      } catch (NoSuchAlgorithmException notThere) {
        // the JDK's, below
      }
    }
    return Signature.getInstance(algorithm);
  }

  /** The key in the native engine's own form, made once (each use would otherwise copy it into BoringSSL). */
  private static Key translate(Key key) throws GeneralSecurityException {
    Key known = translated.get(key);
    if (known != null) {
      return known;
    }
    Key made = KeyFactory.getInstance(key.getAlgorithm(), NATIVE).translateKey(key);
    if (translated.size() >= CACHE) {
      translated.clear();
    }
    translated.put(key, made);
    return made;
  }

  private static Provider load() {
    if ("jdk".equals(System.getProperty("distribank.signatures"))) {
      return null;
    }
    try {
      if (Conscrypt.isAvailable()) {
        return Conscrypt.newProvider();
      }
      log.warning("vote signatures: Conscrypt's native library is not available here; signing with the JDK's ECDSA");
    } catch (LinkageError | RuntimeException e) {
      log.warning("vote signatures: Conscrypt did not load (" + e + "); signing with the JDK's ECDSA");
    }
    return null;
  }
}
