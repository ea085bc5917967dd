package dev.distribank.node.peer;

import dev.distribank.node.api.Errors;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.ExactCents;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.tls.PeerCertificates;
import dev.distribank.proto.bank.v1.BankTotals;
import dev.distribank.proto.bank.v1.CounterpartyFlow;
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
        .thenApply(t -> GetSnapshotResponse.newBuilder().setTotals(toProto(t)).build()), replies);
  }

  /** A bank's snapshot in its wire form, with its flows to and from every other bank. */
  public static BankTotals toProto(AuditTrail.Snapshot t) {
    var out = BankTotals.newBuilder().setBank(t.bank())
        .setTotalBalanceCents(ExactCents.fitting(t.totalBalanceCents()))
        .setDepositsCents(ExactCents.fitting(t.depositsCents()))
        .setWithdrawalsCents(ExactCents.fitting(t.withdrawalsCents()))
        .setExactTotalBalanceCents(t.totalBalanceCents().toString())
        .setExactDepositsCents(t.depositsCents().toString())
        .setExactWithdrawalsCents(t.withdrawalsCents().toString()).setAccounts(t.accounts())
        .setNegativeAccounts(t.negativeAccounts());
    t.flows().forEach((bank, flow) -> out.addCounterpartyFlows(CounterpartyFlow.newBuilder().setBank(bank)
        .setExactSentCents(flow.sentCents().toString()).setExactReceivedCents(flow.receivedCents().toString())));
    return out.build();
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
