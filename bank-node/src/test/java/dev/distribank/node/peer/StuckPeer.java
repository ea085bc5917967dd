package dev.distribank.node.peer;

import dev.distribank.node.testing.PeerHarness;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bank that is up but stops reading, played with its real certificate: it answers health SERVING on its own peer
 * port (so the other banks see it UP and keep proposing to it) and holds an Exchange stream to one bank open, named,
 * without ever asking gRPC for a message. The stream's flow-control window fills, and that bank's side of it stops
 * being ready.
 */
final class StuckPeer implements AutoCloseable {
  private final Server health;
  private final PeerHarness harness;
  private final AtomicLong received = new AtomicLong();

  /**
   * As bank {@code bank} (certificate and key in {@code pki}), serving health on {@code listen} and stuck on a stream
   * to the peer port {@code targetPeerPort}.
   */
  StuckPeer(Path pki, String bank, InetSocketAddress listen, int targetPeerPort) throws IOException {
    var credentials = TlsServerCredentials.newBuilder()
        .keyManager(pki.resolve(bank + ".pem").toFile(), pki.resolve(bank + ".key").toFile())
        .trustManager(pki.resolve("ca.pem").toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
    var status = new HealthStatusManager();
    status.setStatus("", ServingStatus.SERVING);
    this.health = NettyServerBuilder.forAddress(listen, credentials).addService(status.getHealthService()).build()
        .start();
    this.harness = new PeerHarness(targetPeerPort, pki.resolve("ca.pem"), pki.resolve(bank + ".pem"),
        pki.resolve(bank + ".key"));
    var requests = PeerServiceGrpc.newStub(harness.channel()).exchange(
        new ClientResponseObserver<ExchangeRequest, ExchangeResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<ExchangeRequest> stream) {
            stream.disableAutoRequestWithInitial(0); // never reads
          }

          @Override
          public void onNext(ExchangeResponse value) {
            received.incrementAndGet();
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ExchangeRequest.newBuilder().setFromBank(bank).build());
  }

  /** Frames this peer read: none, unless something asked gRPC for them. */
  long received() {
    return received.get();
  }

  /** Drops the stream and the port at once, as a crashed bank would. */
  @Override
  public void close() throws InterruptedException {
    harness.close();
    health.shutdownNow();
    health.awaitTermination(5, TimeUnit.SECONDS);
  }
}
