package dev.distribank.node.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's TLS: one key pair (its bank certificate) for the public port and both ends of every peer link, and the
 * consortium CA plus its revocation list to judge peers by, held in grpc-java's advanced TLS managers and re-read
 * when the files change ({@link Reloads}), so a rotated certificate or a new CA bundle is used without a restart.
 */
public final class NodeTls implements AutoCloseable {
  private final String self;
  private final Set<String> banks;
  private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
  private final AdvancedTlsX509TrustManager chains;
  private final Revocations revocations;
  private final java.util.concurrent.ScheduledFuture<?> reloading;

  /** Loads the files now (a missing or unreadable one is an IOException naming it) and schedules their re-reading. */
  public NodeTls(String self, Set<String> banks, TlsFiles files, ScheduledExecutorService timers)
      throws IOException {
    this.self = self;
    this.banks = Set.copyOf(banks);
    try {
      // The chain is checked here; peer names are checked by PeerTrust (a peer is dialled by address, not name).
      chains = AdvancedTlsX509TrustManager.newBuilder()
          .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION).build();
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("cannot make a trust manager: " + e.getMessage(), e);
    }
    var reload = new Reloads(files, keys, chains);
    reload.loadNow();
    revocations = new Revocations(files.crl(), files.ca());
    long period = files.reload().toMillis();
    reloading = timers.scheduleWithFixedDelay(() -> {
      reload.reloadChanged();
      revocations.reload();
    }, period, period, TimeUnit.MILLISECONDS);
  }

  /** Signs this bank's YES votes with its key, and checks other banks' against the consortium CA. */
  public dev.distribank.node.core.order.VoteSigner voteSigner() {
    return new CertificateVoteSigner(keys, chains, revocations);
  }

  /** The public port: clients check this bank's certificate; they present none (they sign in with a token). */
  public ServerCredentials publicServer() {
    return TlsServerCredentials.newBuilder().keyManager(keys).build();
  }

  /** The peer port: mutual TLS, a client certificate required, and it must name a bank of the consortium. */
  public ServerCredentials peerServer() {
    return TlsServerCredentials.newBuilder().keyManager(keys)
        .trustManager(new PeerTrust(self, chains, revocations, banks, Optional.empty()))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
  }

  /** A channel to bank {@code bank}'s peer port: presents this bank's certificate, accepts only {@code bank}'s. */
  public ChannelCredentials peerChannel(String bank) {
    return TlsChannelCredentials.newBuilder().keyManager(keys)
        .trustManager(new PeerTrust(self, chains, revocations, banks, Optional.of(bank))).build();
  }

  @Override
  public void close() {
    reloading.cancel(false);
  }
}
