package dev.distribank.node.testing;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A hostile (or merely foreign) peer's connection to a node's peer port: mutual TLS with whatever certificate and key
 * the test hands it, trusting {@code ca}. It skips the server-name check, as the banks themselves do (they check the
 * bank id in the certificate instead), so the test can aim at any identity.
 */
public final class PeerHarness implements AutoCloseable {
  private final ManagedChannel channel;

  public PeerHarness(int peerPort, Path ca, Path certificate, Path key) {
    try {
      var credentials = TlsChannelCredentials.newBuilder().trustManager(ca.toFile());
      if (certificate != null) {
        // A key manager that presents its certificate whatever issuers the server asks for, as an attacker would.
        var keys = new AdvancedTlsX509KeyManager();
        keys.updateIdentityCredentials(certificate.toFile(), key.toFile());
        credentials.keyManager(keys);
      }
      // The name the node's certificate answers to on loopback.
      this.channel = Grpc.newChannelBuilderForAddress("127.0.0.1", peerPort, credentials.build()).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** As bank {@code bank} of the cluster's consortium, with its real certificate. */
  public static PeerHarness as(LocalCluster cluster, String bank, String target) {
    Path pki = cluster.pki();
    return new PeerHarness(cluster.node(target).peerPort(), pki.resolve("ca.pem"), pki.resolve(bank + ".pem"),
        pki.resolve(bank + ".key"));
  }

  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
