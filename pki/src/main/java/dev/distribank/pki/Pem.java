package dev.distribank.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** PEM files: certificates, PKCS#8 private keys (written owner-only) and revocation lists. */
public final class Pem {
  private Pem() {}

  /** PEM text of certificates, keys or CRLs (Bouncy Castle's writer; a key comes out as PKCS#8). */
  public static String text(Object... objects) {
    var out = new StringWriter();
    try (var writer = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        writer.writeObject(o instanceof PrivateKey key ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key,
            null) : o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes a certificate or CRL, readable by all (it is public). */
  public static void writePublic(Path file, Object... objects) throws IOException {
    write(file, text(objects), "rw-r--r--");
  }

  /** Writes a private key, readable by its owner only. */
  public static void writePrivate(Path file, PrivateKey key) throws IOException {
    write(file, text(key), "rw-------");
  }

  private static void write(Path file, String text, String permissions) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    // Readers (a node reloading its certificate) see the old file or the new one, never half of one.
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public static X509Certificate certificate(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (CertificateException e) {
      throw new IOException(file + " holds no X.509 certificate: " + e.getMessage(), e);
    }
  }

  public static X509CRL crl(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(file + " holds no X.509 CRL: " + e.getMessage(), e);
    }
  }

  public static PrivateKey privateKey(Path file) throws IOException {
    try (var parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      Object o = parser.readObject();
      var converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IOException(file + " holds no private key");
    }
  }
}
