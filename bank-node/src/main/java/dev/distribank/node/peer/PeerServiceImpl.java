package dev.distribank.node.peer;

import dev.distribank.node.api.Errors;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.tls.PeerCertificates;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.GetClockRequest;
import dev.distribank.proto.peer.v1.GetClockResponse;
import dev.distribank.proto.peer.v1.GetSnapshotRequest;
import dev.distribank.proto.peer.v1.GetSnapshotResponse;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * PeerService: the other banks' way in, served only on the peer port, whose mutual TLS admits nobody but the banks of
 * the consortium; {@link PeerCertificates} names the calling bank from its certificate.
 */
public final class PeerServiceImpl extends PeerServiceGrpc.PeerServiceImplBase {
  private final PeerLinks links;
  private final EventLoop loop;

  public PeerServiceImpl(PeerLinks links, EventLoop loop) {
    this.links = links;
    this.loop = loop;
  }

  @Override
  public StreamObserver<ExchangeRequest> exchange(StreamObserver<ExchangeResponse> replies) {
    return links.accept(replies, PeerCertificates.bank());
  }

  @Override
  public void getClock(GetClockRequest request, StreamObserver<GetClockResponse> replies) {
    answer(loop.call(s -> GetClockResponse.newBuilder().setBank(s.bank().id()).setClock(s.core().clock()).build()),
        replies);
  }

  @Override
  public void getSnapshot(GetSnapshotRequest request, StreamObserver<GetSnapshotResponse> replies) {
    answer(loop.call(s -> s.snapshot(request.getAtCounter())).thenCompose(f -> f)
        .thenApply(t -> GetSnapshotResponse.newBuilder().setTotals(PeerProtos.toProto(t)).build()), replies);
  }

  private static <T> void answer(java.util.concurrent.CompletableFuture<T> result, StreamObserver<T> replies) {
    result.whenComplete((value, error) -> {
      if (error != null) {
        replies.onError(Errors.toStatus(error));
      } else {
        replies.onNext(value);
        replies.onCompleted();
      }
    });
  }
}
