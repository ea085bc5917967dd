package dev.distribank.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consortium's certificate directory, as {@code bank-admin pki} writes it and a node's {@code --pki-dir} reads it:
 * <pre>
 *   ca.pem   the CA certificate: every node and client trusts it
 *   ca.key   the CA's key (owner-only): needed only to issue and revoke; keep it off the nodes
 *   ca.crl   the CA's revocation list: nodes re-read it and refuse the certificates it lists
 *   alpha.pem, alpha.key   one certificate and key per bank
 * </pre>
 */
public final class Consortium {
  /** The names every bank's certificate answers to, besides its id and the extra hosts given. */
  public static final List<String> LOCAL_HOSTS = List.of("localhost", "127.0.0.1", "::1");
  public static final Duration CRL_VALIDITY = Duration.ofDays(3650);

  private Consortium() {}

  /**
   * Makes a new CA in {@code dir} and a certificate for each of {@code banks}. {@code hosts} maps a bank to the extra
   * host names its certificate carries ("" for names every bank's certificate carries). Refuses a directory that
   * already holds a CA, so a second run never replaces keys the banks already use.
   */
  public static void init(Path dir, List<String> banks, Map<String, List<String>> hosts, Duration validity)
      throws IOException {
    if (CertificateAuthority.existsIn(dir)) {
      throw new IOException(dir + " already holds a CA (ca.pem); remove it or choose another directory");
    }
    for (String bank : banks) {
      if (!CertificateAuthority.BANK_ID.matcher(bank).matches()) {
        throw new IllegalArgumentException("bank id '" + bank + "' must match " + CertificateAuthority.BANK_ID);
      }
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    var ca = CertificateAuthority.create("DistriBank consortium CA", validity.multipliedBy(2));
    ca.writeTo(dir);
    Pem.writePublic(dir.resolve("ca.crl"), ca.revocationList(List.of(), CRL_VALIDITY));
    for (String bank : banks) {
      issue(dir, ca, bank, hosts, validity);
    }
  }

  /** Issues {@code bank} a fresh key pair and certificate from the CA in {@code dir}, replacing its files. */
  public static Issued issue(Path dir, String bank, Map<String, List<String>> hosts, Duration validity)
      throws IOException {
    return issue(dir, CertificateAuthority.load(dir), bank, hosts, validity);
  }

  private static Issued issue(Path dir, CertificateAuthority ca, String bank, Map<String, List<String>> hosts,
      Duration validity) throws IOException {
    Set<String> names = new LinkedHashSet<>();
    names.add(bank);
    names.addAll(LOCAL_HOSTS);
    names.addAll(hosts.getOrDefault("", List.of()));
    names.addAll(hosts.getOrDefault(bank, List.of()));
    Issued issued = ca.issue(bank, names, validity);
    issued.writeTo(dir, bank);
    return issued;
  }

  /**
   * Revokes the certificate {@code bank} holds now: adds its serial to {@code ca.crl}, which the nodes re-read.
   * Returns the revoked serial number.
   */
  public static BigInteger revoke(Path dir, String bank) throws IOException {
    Path file = dir.resolve(bank + ".pem");
    if (!Files.exists(file)) {
      throw new IOException("no certificate for bank '" + bank + "' in " + dir);
    }
    BigInteger serial = Pem.certificate(file).getSerialNumber();
    var ca = CertificateAuthority.load(dir);
    var revoked = new ArrayList<BigInteger>();
    Path crl = dir.resolve("ca.crl");
    if (Files.exists(crl)) {
      Set<? extends X509CRLEntry> entries = Pem.crl(crl).getRevokedCertificates();
      if (entries != null) {
        entries.forEach(e -> revoked.add(e.getSerialNumber()));
      }
    }
    if (!revoked.contains(serial)) {
      revoked.add(serial);
    }
    Pem.writePublic(crl, ca.revocationList(revoked, CRL_VALIDITY));
    return serial;
  }
}
