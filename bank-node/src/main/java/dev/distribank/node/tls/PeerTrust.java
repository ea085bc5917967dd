package dev.distribank.node.tls;

import dev.distribank.node.log.LogFields;
import dev.distribank.node.log.QuietLog;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Whom a peer link trusts: a certificate chain the consortium CA signed (grpc-java's advanced trust manager, which
 * re-reads the CA file), not expired, not on the CA's revocation list, naming exactly one bank of the consortium —
 * and, when this bank dialled, the very bank it meant to reach. Every refusal is one (rate-limited) log line naming
 * the certificate's bank, and fails the TLS handshake.
 */
final class PeerTrust extends X509ExtendedTrustManager {
  private static final Logger log = Logger.getLogger(PeerTrust.class.getName());
  private static final QuietLog REFUSALS = new QuietLog(log, 20);

  private final X509ExtendedTrustManager chains;
  private final Revocations revocations;
  private final Set<String> banks;
  /** The bank this side dialled, or empty on the accepting side (any bank of the consortium may call). */
  private final Optional<String> expected;
  private final String self;

  PeerTrust(String self, X509ExtendedTrustManager chains, Revocations revocations, Set<String> banks,
      Optional<String> expected) {
    this.self = self;
    this.chains = chains;
    this.revocations = revocations;
    this.banks = Set.copyOf(banks);
    this.expected = expected;
  }

  private void check(X509Certificate[] chain, String authType, SSLEngine engine, boolean server)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw refuse("a peer presented no certificate");
    }
    X509Certificate leaf = chain[0];
    String who = BankIdentity.describe(leaf);
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      throw refuse("refused the certificate of " + who + ": it expired on " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw refuse("refused the certificate of " + who + ": it is not valid before "
          + leaf.getNotBefore().toInstant());
    }
    try {
      if (engine == null && server) {
        chains.checkServerTrusted(chain, authType);
      } else if (engine == null) {
        chains.checkClientTrusted(chain, authType);
      } else if (server) {
        chains.checkServerTrusted(chain, authType, engine);
      } else {
        chains.checkClientTrusted(chain, authType, engine);
      }
    } catch (CertificateException e) {
      throw refuse("refused the certificate of " + who + ": not issued by this consortium's CA (" + e.getMessage()
          + ")");
    }
    if (revocations.revoked(leaf)) {
      throw refuse("refused the certificate of " + who + ": the consortium CA revoked it");
    }
    Optional<String> bank = BankIdentity.of(leaf);
    if (bank.isEmpty() || !banks.contains(bank.get())) {
      throw refuse("refused the certificate of " + who + ": it names no bank of this consortium " + banks);
    }
    if (expected.isPresent() && !expected.get().equals(bank.get())) {
      throw refuse("dialled bank " + expected.get() + " but the certificate answering is " + who);
    }
  }

  private CertificateException refuse(String why) {
    REFUSALS.warn(self + ": " + why, LogFields.NONE.bank(self));
    return new CertificateException(why);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType, engine, false);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType, engine, true);
  }

  /** Peer links run on Netty's SSLEngine; the socket and engine-less forms check the same way, chain only. */
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, authType, null, false);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, authType, null, true);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, authType, null, false);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, authType, null, true);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chains.getAcceptedIssuers();
  }
}
