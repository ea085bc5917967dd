package dev.distribank.node.tls;

import dev.distribank.node.log.QuietLog;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.logging.Logger;

/**
 * Puts what is on disk into grpc-java's advanced TLS managers: this bank's certificate and key, and the CA bundle,
 * re-read when their files change (grpc-java's own file watching refreshes at most once a minute; a rotation here
 * takes effect on the next {@link TlsFiles#reload} tick). What does not load is reported and the previous material
 * stays in force; a key that does not match its certificate (caught between the two files' writes) is not installed.
 */
final class Reloads {
  private static final Logger log = Logger.getLogger(Reloads.class.getName());
  private static final QuietLog PROBLEMS = new QuietLog(log, 6);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TlsFiles files;
  private final AdvancedTlsX509KeyManager keys;
  private final AdvancedTlsX509TrustManager chains;
  private List<FileTime> identitySeen = List.of();
  private FileTime caSeen;

  Reloads(TlsFiles files, AdvancedTlsX509KeyManager keys, AdvancedTlsX509TrustManager chains) {
    this.files = files;
    this.keys = keys;
    this.chains = chains;
  }

  /** The first load: anything missing or broken is an IOException naming the file (the node does not start). */
  void loadNow() throws IOException {
    try {
      loadIdentity();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IOException("cannot load this bank's certificate " + files.certificate() + " and key "
          + files.key() + ": " + e.getMessage(), e);
    }
    try {
      loadCa();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IOException("cannot load the consortium CA " + files.ca() + ": " + e.getMessage(), e);
    }
  }

  /** A tick: re-reads whatever changed since the last successful load. */
  synchronized void reloadChanged() {
    try {
      if (!modified(files.certificate(), files.key()).equals(identitySeen)) {
        loadIdentity();
        log.info(() -> "reloaded this bank's certificate " + files.certificate());
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      PROBLEMS.warn("the certificate " + files.certificate() + " and key " + files.key() + " were not reloaded "
          + "(the previous ones stay in use): " + e.getMessage());
    }
    try {
      if (!Files.getLastModifiedTime(files.ca()).equals(caSeen)) {
        loadCa();
        log.info(() -> "reloaded the consortium CA " + files.ca());
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      PROBLEMS.warn("the CA " + files.ca() + " was not reloaded (the previous one stays in use): " + e.getMessage());
    }
  }

  private synchronized void loadIdentity() throws IOException, GeneralSecurityException {
    List<FileTime> seen = modified(files.certificate(), files.key());
    X509Certificate[] chain;
    PrivateKey key;
    try (InputStream c = Files.newInputStream(files.certificate()); InputStream k = Files.newInputStream(files.key())) {
      chain = CertificateUtils.getX509Certificates(c);
      key = CertificateUtils.getPrivateKey(k);
    }
    if (chain.length == 0) {
      throw new GeneralSecurityException(files.certificate() + " holds no certificate");
    }
    if (!matches(key, chain[0])) {
      throw new GeneralSecurityException("the key does not belong to the certificate (rotating? the next look "
          + "retries)");
    }
    keys.updateIdentityCredentials(chain, key);
    identitySeen = seen;
  }

  private synchronized void loadCa() throws IOException, GeneralSecurityException {
    FileTime seen = Files.getLastModifiedTime(files.ca());
    chains.updateTrustCredentials(files.ca().toFile());
    caSeen = seen;
  }

  private static List<FileTime> modified(Path a, Path b) throws IOException {
    return List.of(Files.getLastModifiedTime(a), Files.getLastModifiedTime(b));
  }

  /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
  static boolean matches(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
    String algorithm = CertificateVoteSigner.algorithm(key.getAlgorithm());
    byte[] probe = new byte[32];
    RANDOM.nextBytes(probe);
    var signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    var verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    return verifier.verify(signature);
  }
}
