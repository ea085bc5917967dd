package dev.distribank.node.peer;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.distribank.node.api.OtherBanks;
import dev.distribank.proto.peer.v1.GetClockRequest;
import dev.distribank.proto.peer.v1.GetSnapshotRequest;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One channel per other bank, to its peer port over mutual TLS (each accepts only that bank's certificate): the
 * Exchange stream, health probes and the audit's unary calls all ride it.
 */
public final class PeerClients implements OtherBanks, AutoCloseable {
  private final Map<String, ManagedChannel> channels = new TreeMap<>();

  /** {@code credentials} gives the TLS credentials for dialling a bank (null only for a bank alone). */
  public PeerClients(String self, Map<String, String> peers, Function<String, ChannelCredentials> credentials) {
    this(self, peers, credentials, (bank, builder) -> { });
  }

  /** The same, each bank's channel builder handed to {@code configure} first (metrics); no keepalive pings. */
  public PeerClients(String self, Map<String, String> peers, Function<String, ChannelCredentials> credentials,
      BiConsumer<String, ManagedChannelBuilder<?>> configure) {
    this(self, peers, credentials, configure, Duration.ZERO, Duration.ZERO);
  }

  /**
   * The same, pinging a connection that read nothing for {@code keepalive} and closing it (to be dialled again) when
   * a ping is not answered within {@code keepaliveTimeout}: a silently cut link is otherwise noticed only by TCP,
   * whose retransmissions back off to over 10 s, and the stream waits that long after the link is back.
   */
  public PeerClients(String self, Map<String, String> peers, Function<String, ChannelCredentials> credentials,
      BiConsumer<String, ManagedChannelBuilder<?>> configure, Duration keepalive, Duration keepaliveTimeout) {
    peers.forEach((bank, address) -> {
      if (!bank.equals(self)) {
        var builder = Grpc.newChannelBuilder(address, credentials.apply(bank));
        if (!keepalive.isZero()) {
          builder.keepAliveTime(keepalive.toMillis(), TimeUnit.MILLISECONDS)
              .keepAliveTimeout(keepaliveTimeout.toMillis(), TimeUnit.MILLISECONDS).keepAliveWithoutCalls(true);
        }
        configure.accept(bank, builder);
        channels.put(bank, builder.build());
      }
    });
  }

  /** The channels to the other banks, by id. */
  public Map<String, ManagedChannel> channels() {
    return java.util.Collections.unmodifiableMap(channels);
  }

  private PeerServiceGrpc.PeerServiceFutureStub stub(String bank, long timeoutMillis) {
    // Wait for the connection within the deadline: a bank that just restarted is reachable again a moment later.
    return PeerServiceGrpc.newFutureStub(channels.get(bank)).withWaitForReady()
        .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Long> clock(String bank, long timeoutMillis) {
    return toCompletable(stub(bank, timeoutMillis).getClock(GetClockRequest.getDefaultInstance()))
        .thenApply(r -> r.getClock());
  }

  @Override
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
