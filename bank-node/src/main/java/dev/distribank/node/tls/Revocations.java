package dev.distribank.node.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.logging.Logger;

/**
 * The consortium CA's revocation list, re-read from disk when it changes. A CRL that does not parse or is not signed
 * by the CA is ignored with a warning, and the last good one stays in force: a bad file never un-revokes anything.
 */
final class Revocations {
  private static final Logger log = Logger.getLogger(Revocations.class.getName());

  private final Path file;
  private final Path caFile;
  private volatile X509CRL current;
  private FileTime loaded;

  Revocations(Path file, Path caFile) {
    this.file = file;
    this.caFile = caFile;
    reload();
  }

  /** Whether the CA has revoked {@code certificate}. */
  boolean revoked(X509Certificate certificate) {
    X509CRL crl = current;
    return crl != null && crl.isRevoked(certificate);
  }

  /** Re-reads the file if it changed since the last look. */
  synchronized void reload() {
    try {
      if (!Files.exists(file)) {
        return;
      }
      FileTime modified = Files.getLastModifiedTime(file);
      if (modified.equals(loaded)) {
        return;
      }
      loaded = modified; // a bad file is reported once, not on every look
      X509CRL crl;
      X509Certificate ca;
      var factory = CertificateFactory.getInstance("X.509");
      try (InputStream in = Files.newInputStream(file); InputStream caIn = Files.newInputStream(caFile)) {
        crl = (X509CRL) factory.generateCRL(in);
        ca = (X509Certificate) factory.generateCertificate(caIn);
      }
      crl.verify(ca.getPublicKey());
      current = crl;
      int count = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
      log.info(() -> "revocation list " + file + " loaded: " + count + " certificate(s) revoked");
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      log.warning("revocation list " + file + " not loaded (the previous one stays in force): " + e.getMessage());
    }
  }
}
