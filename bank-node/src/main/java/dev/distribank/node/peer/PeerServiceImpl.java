package dev.distribank.node.peer;

import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/** PeerService: the other banks' way in. Every call must carry the consortium's peer token. */
public final class PeerServiceImpl extends PeerServiceGrpc.PeerServiceImplBase {
  private final PeerLinks links;
  private final byte[] peerToken;
  private final Supplier<String> callerToken;

  /** {@code callerToken} reads the bearer token of the current call (on the gRPC thread). */
  public PeerServiceImpl(PeerLinks links, String peerToken, Supplier<String> callerToken) {
    this.links = links;
    this.peerToken = peerToken.getBytes(StandardCharsets.UTF_8);
    this.callerToken = callerToken;
  }

  boolean authentic() {
    return MessageDigest.isEqual(peerToken, callerToken.get().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public StreamObserver<ExchangeRequest> exchange(StreamObserver<ExchangeResponse> replies) {
    if (!authentic()) {
      replies.onError(Status.UNAUTHENTICATED.withDescription("PeerService needs the consortium's peer token")
          .asRuntimeException());
      return new StreamObserver<>() {
        @Override
        public void onNext(ExchangeRequest value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
    return links.accept(replies);
  }
}
