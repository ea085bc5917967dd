package dev.distribank.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The consortium's certificate authority: it issues each bank one certificate naming the bank (the URI SAN
 * {@code spiffe://distribank/bank/<id>}, which a node checks on every peer link) and the host names clients reach it
 * by, and it revokes certificates by listing them in a CRL. Keys are ECDSA P-256; the JDK's own providers sign, so
 * Bouncy Castle is used only to build the ASN.1 structures, never registered as a JCA provider.
 */
public final class CertificateAuthority {
  /** The URI SAN that names a bank: {@code spiffe://distribank/bank/alpha}. */
  public static final String BANK_URI_PREFIX = "spiffe://distribank/bank/";
  public static final Pattern BANK_ID = Pattern.compile("[a-z][a-z0-9-]{1,15}");
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A new self-signed CA named {@code name}, valid from now for {@code validity}. */
  public static CertificateAuthority create(String name, Duration validity) {
    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    var subject = new X500Principal("CN=" + name + ",O=DistriBank");
    try {
      var builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(validity)), subject, pair.getPublic());
      var utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(builder.build(signer(pair.getPrivate()))), pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a CA certificate: " + e.getMessage(), e);
    }
  }

  /** The CA kept in {@code dir} by {@link #writeTo}: {@code ca.pem} and {@code ca.key}. */
  public static CertificateAuthority load(Path dir) throws IOException {
    return new CertificateAuthority(Pem.certificate(dir.resolve("ca.pem")), Pem.privateKey(dir.resolve("ca.key")));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes {@code ca.pem} (what every node and client trusts) and {@code ca.key} (owner-only; keep it offline). */
  public void writeTo(Path dir) throws IOException {
    new Issued(certificate, key).writeTo(dir, "ca");
  }

  /**
   * A certificate for bank {@code bank}, valid over [notBefore, notAfter]: its subject CN and URI SAN name the bank,
   * its DNS and IP SANs are {@code hosts} (what clients dial: "localhost", "127.0.0.1", a container's name...), and it
   * serves both ends of a TLS connection (a bank is a server to clients and peers, a client to peers).
   */
  public Issued issue(String bank, Collection<String> hosts, Instant notBefore, Instant notAfter) {
    if (!BANK_ID.matcher(bank).matches()) {
      throw new IllegalArgumentException("bank id '" + bank + "' must match " + BANK_ID);
    }
    KeyPair pair = newKeyPair();
    var names = new ArrayList<GeneralName>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, BANK_URI_PREFIX + bank));
    for (String host : hosts) {
      names.add(isAddress(host) ? new GeneralName(GeneralName.iPAddress, host)
          : new GeneralName(GeneralName.dNSName, host));
    }
    try {
      var builder = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(notBefore), Date.from(notAfter),
          new X500Principal("CN=" + bank + ",O=DistriBank"), pair.getPublic());
      var utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(certificate));
      return new Issued(sign(builder.build(signer(key))), pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + bank + ": " + e.getMessage(), e);
    }
  }

  /** A certificate for {@code bank} valid from a minute ago for {@code validity}. */
  public Issued issue(String bank, Collection<String> hosts, Duration validity) {
    Instant now = Instant.now();
    return issue(bank, hosts, now.minusSeconds(60), now.plus(validity));
  }

  /** A version 1 certificate with no extensions at all: names no bank, for testing that nodes refuse it. */
  public Issued issueBare(String commonName, Duration validity) {
    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    try {
      var builder = new JcaX509v1CertificateBuilder(certificate.getSubjectX500Principal(), serial(),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)),
          new X500Principal("CN=" + commonName + ",O=DistriBank"), pair.getPublic());
      return new Issued(sign(builder.build(signer(key))), pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CRL signed by this CA listing {@code revoked} (serial numbers), next due after {@code validity}. */
  public X509CRL revocationList(List<BigInteger> revoked, Duration validity) {
    Instant now = Instant.now();
    var builder = new X509v2CRLBuilder(org.bouncycastle.asn1.x500.X500Name.getInstance(
        certificate.getSubjectX500Principal().getEncoded()), Date.from(now.minusSeconds(60)));
    builder.setNextUpdate(Date.from(now.plus(validity)));
    for (BigInteger serial : revoked) {
      builder.addCRLEntry(serial, Date.from(now), CRLReason.keyCompromise);
    }
    try {
      return new JcaX509CRLConverter().getCRL(builder.build(signer(key)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a CRL: " + e.getMessage(), e);
    }
  }

  /** Whether {@code host} is an IPv4 or IPv6 literal (an IP SAN), not a DNS name. */
  static boolean isAddress(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(host); // a literal: no lookup happens
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static KeyPair newKeyPair() {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make P-256 keys: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder(SIGNATURE).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static X509Certificate sign(org.bouncycastle.cert.X509CertificateHolder holder)
      throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  /** Whether {@code dir} already holds a CA. */
  public static boolean existsIn(Path dir) {
    return Files.exists(dir.resolve("ca.pem")) || Files.exists(dir.resolve("ca.key"));
  }
}
