package dev.distribank.node.peer;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.distribank.proto.peer.v1.GetClockRequest;
import dev.distribank.proto.peer.v1.GetSnapshotRequest;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Unary calls to the other banks (audit clocks and snapshots), authenticated with the peer token. */
public final class PeerClients implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new TreeMap<>();
  private final Metadata credentials = new Metadata();

  public PeerClients(String self, Map<String, String> peers, String peerToken) {
    credentials.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + peerToken);
    peers.forEach((bank, address) -> {
      if (!bank.equals(self)) {
        channels.put(bank, ManagedChannelBuilder.forTarget(address).usePlaintext().build());
      }
    });
  }

  /** The channels to the other banks, by id (for health probes). */
  public Map<String, ManagedChannel> channels() {
    return java.util.Collections.unmodifiableMap(channels);
  }

  private PeerServiceGrpc.PeerServiceFutureStub stub(String bank, long timeoutMillis) {
    return PeerServiceGrpc.newFutureStub(channels.get(bank))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(credentials))
        .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public CompletableFuture<Long> clock(String bank, long timeoutMillis) {
    return toCompletable(stub(bank, timeoutMillis).getClock(GetClockRequest.getDefaultInstance()))
        .thenApply(r -> r.getClock());
  }

  public CompletableFuture<dev.distribank.proto.bank.v1.BankTotals> snapshot(String bank, long atCounter,
      long timeoutMillis) {
    return toCompletable(stub(bank, timeoutMillis).getSnapshot(GetSnapshotRequest.newBuilder()
        .setAtCounter(atCounter).build())).thenApply(r -> r.getTotals());
  }

  static <T> CompletableFuture<T> toCompletable(ListenableFuture<T> future) {
    var out = new CompletableFuture<T>();
    Futures.addCallback(future, new FutureCallback<T>() {
      @Override
      public void onSuccess(T result) {
        out.complete(result);
      }

      @Override
      public void onFailure(Throwable t) {
        out.completeExceptionally(t);
      }
    }, MoreExecutors.directExecutor());
    return out;
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
