package dev.distribank.node.tls;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a node finds its TLS material. All are PEM files, re-read when they change on disk (checked every
 * {@code reload}), so certificates rotate and revocations take effect without a restart.
 *
 * @param certificate this bank's certificate (its bank id in a URI SAN), served to clients and peers alike
 * @param key its private key (PKCS#8)
 * @param ca the consortium CA's certificate: the only issuer peer certificates are trusted from
 * @param crl the CA's revocation list; it need not exist yet
 * @param reload how often the files are checked for changes
 */
public record TlsFiles(Path certificate, Path key, Path ca, Path crl, Duration reload) {
  public static final Duration DEFAULT_RELOAD = Duration.ofSeconds(10);

  public TlsFiles {
    checkNotNull(certificate, "certificate");
    checkNotNull(key, "key");
    checkNotNull(ca, "ca");
    checkNotNull(crl, "crl");
    checkNotNull(reload, "reload");
  }

  /** The files {@code bank-admin pki init} writes for {@code bank} in {@code dir}. */
  public static TlsFiles inDirectory(Path dir, String bank) {
    return new TlsFiles(dir.resolve(bank + ".pem"), dir.resolve(bank + ".key"), dir.resolve("ca.pem"),
        dir.resolve("ca.crl"), DEFAULT_RELOAD);
  }

  public TlsFiles withReload(Duration period) {
    return new TlsFiles(certificate, key, ca, crl, period);
  }
}
