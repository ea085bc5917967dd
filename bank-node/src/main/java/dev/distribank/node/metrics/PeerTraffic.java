package dev.distribank.node.metrics;

import dev.distribank.node.tls.PeerCertificates;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Set;

/**
 * Counts the protocol messages on the peer links' Exchange streams, by peer bank and direction, as they pass through
 * gRPC: on the streams this bank dialled (one client interceptor per peer channel) and on those the others dialled
 * (a server interceptor on the peer port, behind {@link PeerCertificates}, which names the caller). A frame carries
 * a batch of messages; each message counts. It only looks: every frame goes on unchanged.
 */
final class PeerTraffic {
  private static final String EXCHANGE = PeerServiceGrpc.getExchangeMethod().getFullMethodName();

  private PeerTraffic() {}

  /** For the peer port's PeerService, inside {@link PeerCertificates}; counts only the consortium's banks. */
  static ServerInterceptor server(BankInstruments instruments, Set<String> otherBanks) {
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        if (!call.getMethodDescriptor().getFullMethodName().equals(EXCHANGE)) {
          return next.startCall(call, headers);
        }
        String peer = PeerCertificates.bank();
        if (!otherBanks.contains(peer)) {
          return next.startCall(call, headers);
        }
        var counted = new SimpleForwardingServerCall<Q, A>(call) {
          @Override
          public void sendMessage(A message) {
            if (message instanceof ExchangeResponse r) {
              instruments.peerMessages(peer, true, r.getMessagesCount());
            }
            super.sendMessage(message);
          }
        };
        return new SimpleForwardingServerCallListener<Q>(next.startCall(counted, headers)) {
          @Override
          public void onMessage(Q message) {
            if (message instanceof ExchangeRequest r) {
              instruments.peerMessages(peer, false, r.getMessagesCount());
            }
            super.onMessage(message);
          }
        };
      }
    };
  }

  /** For the channel to bank {@code peer}. */
  static ClientInterceptor client(BankInstruments instruments, String peer) {
    return new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
          Channel next) {
        ClientCall<Q, A> call = next.newCall(method, options);
        if (!method.getFullMethodName().equals(EXCHANGE)) {
          return call;
        }
        return new SimpleForwardingClientCall<>(call) {
          @Override
          public void start(Listener<A> listener, Metadata headers) {
            super.start(new SimpleForwardingClientCallListener<A>(listener) {
              @Override
              public void onMessage(A message) {
                if (message instanceof ExchangeResponse r) {
                  instruments.peerMessages(peer, false, r.getMessagesCount());
                }
                super.onMessage(message);
              }
            }, headers);
          }

          @Override
          public void sendMessage(Q message) {
            if (message instanceof ExchangeRequest r) {
              instruments.peerMessages(peer, true, r.getMessagesCount());
            }
            super.sendMessage(message);
          }
        };
      }
    };
  }
}
