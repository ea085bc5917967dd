package dev.distribank.node.tls;

import dev.distribank.node.core.order.VoteSignature;
import dev.distribank.node.core.order.VoteSigner;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.X509TrustManager;

/**
 * Signs this bank's YES votes with the key of its bank certificate, and checks another bank's the way a peer link
 * checks its certificate: issued by the consortium CA, valid now, not revoked, naming that very bank.
 */
final class CertificateVoteSigner implements VoteSigner {
  /** Parsed certificates, by their base64 text; a consortium has a handful (more after rotations: then start over). */
  private static final int CACHE = 256;

  private final AdvancedTlsX509KeyManager keys;
  private final X509TrustManager chains;
  private final Revocations revocations;
  private final Map<String, X509Certificate> parsed = new ConcurrentHashMap<>();
  private final Map<Issued, Boolean> issued = new ConcurrentHashMap<>();
  /**
   * Signatures already checked, by bank, digest, signature and certificate: {@link #prove}n ahead of time, or verified
   * once. One signature covers a whole batch of votes (its Merkle root), so it is checked once for all of them.
   */
  private final java.util.Set<String> proven = ConcurrentHashMap.newKeySet();
  /** ECDSA verifications run so far (each ~55 µs natively, ~0.4 ms in the JDK): a batch's signature must cost one. */
  private final java.util.concurrent.atomic.AtomicLong verifications = new java.util.concurrent.atomic.AtomicLong();

  CertificateVoteSigner(AdvancedTlsX509KeyManager keys, X509TrustManager chains, Revocations revocations) {
    this.keys = keys;
    this.chains = chains;
    this.revocations = revocations;
    java.util.logging.Logger.getLogger(CertificateVoteSigner.class.getName())
        .info("vote signatures: ECDSA in " + SignatureEngines.describe());
  }

  @Override
  public VoteSignature sign(byte[] digest) {
    for (int attempt = 0; ; attempt++) {
      // The alias names the key pair in use; a reload in between changes it, and the lookups then come back empty.
      String alias = keys.chooseEngineServerAlias("EC", null, null);
      PrivateKey key = keys.getPrivateKey(alias);
      X509Certificate[] chain = keys.getCertificateChain(alias);
      if (key != null && chain != null && chain.length > 0) {
        try {
          Signature signer = SignatureEngines.signer(algorithm(key.getAlgorithm()), key);
          signer.update(digest);
          var b64 = Base64.getEncoder();
          return new VoteSignature(b64.encodeToString(chain[0].getEncoded()), b64.encodeToString(signer.sign()),
              b64.encodeToString(digest));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("this bank cannot sign with its own key: " + e.getMessage(), e);
        }
      }
      if (attempt > 3) {
        throw new IllegalStateException("this bank's key and certificate are not loaded");
      }
    }
  }

  @Override
  public void prove(String bank, VoteSignature vote) {
    if (vote == null || vote.digest().isEmpty()) {
      return;
    }
    String key = key(bank, vote.digest(), vote);
    if (proven.contains(key)) {
      return; // one signature covers a batch of votes: checked at the first of them
    }
    try {
      if (check(bank, Base64.getDecoder().decode(vote.digest()), vote)) {
        remember(key);
      }
    } catch (IllegalArgumentException notBase64) {
      // no proof ahead of time; verify decides
    }
  }

  @Override
  public boolean verify(String bank, byte[] digest, VoteSignature vote) {
    if (vote == null) {
      return false;
    }
    String key = key(bank, Base64.getEncoder().encodeToString(digest), vote);
    if (proven.contains(key)) {
      // Checked before over this very digest; the certificate may have expired or been revoked since.
      try {
        X509Certificate certificate = certificate(vote.certificate());
        certificate.checkValidity();
        return !revocations.revoked(certificate);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
    if (!check(bank, digest, vote)) {
      return false;
    }
    remember(key);
    return true;
  }

  long verifications() {
    return verifications.get();
  }

  private void remember(String key) {
    if (proven.size() >= CACHE * 64) {
      proven.clear();
    }
    proven.add(key);
  }

  private static String key(String bank, String digest, VoteSignature vote) {
    return bank + ' ' + digest + ' ' + vote.signature() + ' ' + vote.certificate();
  }

  private boolean check(String bank, byte[] digest, VoteSignature vote) {
    try {
      X509Certificate certificate = certificate(vote.certificate());
      if (!BankIdentity.of(certificate).map(bank::equals).orElse(false) || !issuedByTheCa(certificate)
          || revocations.revoked(certificate)) {
        return false;
      }
      certificate.checkValidity();
      Signature verifier = SignatureEngines.verifier(algorithm(certificate.getPublicKey().getAlgorithm()),
          certificate.getPublicKey());
      verifier.update(digest);
      verifications.incrementAndGet();
      return verifier.verify(Base64.getDecoder().decode(vote.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // not a certificate, not base64, expired, not a signature: no proof
    }
  }

  /**
   * Whether one of the CA certificates trusted now signed {@code certificate}. The answer is kept per certificate and
   * CA bundle (checking a signature costs as much as checking the vote's), so a reloaded bundle is asked afresh.
   */
  private boolean issuedByTheCa(X509Certificate certificate) {
    X509Certificate[] cas = chains.getAcceptedIssuers();
    var key = new Issued(certificate, java.util.Arrays.asList(cas));
    Boolean known = issued.get(key);
    if (known != null) {
      return known;
    }
    boolean answer = signedByOneOf(certificate, cas);
    if (issued.size() >= CACHE) {
      issued.clear();
    }
    issued.put(key, answer);
    return answer;
  }

  private record Issued(X509Certificate certificate, List<X509Certificate> cas) {}

  private static boolean signedByOneOf(X509Certificate certificate, X509Certificate[] cas) {
    for (X509Certificate ca : cas) {
      if (ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        try {
          certificate.verify(ca.getPublicKey());
          return true;
        } catch (GeneralSecurityException e) {
          // not this CA's signature; try the next (a CA bundle may hold the old and the new CA while rotating)
        }
      }
    }
    return false;
  }

  private X509Certificate certificate(String base64) throws GeneralSecurityException {
    X509Certificate known = parsed.get(base64);
    if (known != null) {
      return known;
    }
    var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    if (parsed.size() >= CACHE) {
      parsed.clear();
    }
    parsed.put(base64, certificate);
    return certificate;
  }

  /** The signature algorithm for a key of {@code keyAlgorithm} ("EC" for the consortium's P-256 keys). */
  static String algorithm(String keyAlgorithm) throws GeneralSecurityException {
    return switch (keyAlgorithm) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new GeneralSecurityException("unsupported key type " + keyAlgorithm);
    };
  }
}
