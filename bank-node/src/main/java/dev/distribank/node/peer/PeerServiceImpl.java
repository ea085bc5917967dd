package dev.distribank.node.peer;

import dev.distribank.node.api.ApiProtos;
import dev.distribank.node.api.Replies;
import dev.distribank.node.app.BankApplication;
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
 * the consortium; {@link PeerCertificates} names the calling bank from its certificate. The protocol stream goes to
 * this bank's {@link PeerLinks}; an audit's questions to the {@link BankApplication}, answered and refused as every
 * service's are ({@link Replies}).
 */
public final class PeerServiceImpl extends PeerServiceGrpc.PeerServiceImplBase {
  private final PeerLinks links;
  private final BankApplication app;

  public PeerServiceImpl(PeerLinks links, BankApplication app) {
    this.links = links;
    this.app = app;
  }

  @Override
  public StreamObserver<ExchangeRequest> exchange(StreamObserver<ExchangeResponse> replies) {
    return links.accept(replies, PeerCertificates.bank());
  }

  @Override
  public void getClock(GetClockRequest request, StreamObserver<GetClockResponse> replies) {
    Replies.answer(app.clock(), clock -> GetClockResponse.newBuilder().setBank(app.bankId()).setClock(clock).build(),
        replies);
  }

  @Override
  public void getSnapshot(GetSnapshotRequest request, StreamObserver<GetSnapshotResponse> replies) {
    Replies.answer(app.snapshot(request.getAtCounter()),
        totals -> GetSnapshotResponse.newBuilder().setTotals(ApiProtos.toProto(totals)).build(), replies);
  }
}
