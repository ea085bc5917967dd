package dev.distribank.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate and its private key. */
public record Issued(X509Certificate certificate, PrivateKey key) {

  /** Writes {@code <dir>/<name>.pem} (the certificate) and {@code <dir>/<name>.key} (owner-only). */
  public void writeTo(Path dir, String name) throws IOException {
    // The key first: a reader that sees the new certificate finds its key already in place.
    Pem.writePrivate(dir.resolve(name + ".key"), key);
    Pem.writePublic(dir.resolve(name + ".pem"), certificate);
  }
}
