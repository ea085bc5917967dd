package dev.distribank.node.tls;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Lifts the bank a peer call's client certificate names into the call's {@link Context}. The peer port's handshake
 * already refused any certificate the CA did not sign or that names no bank; a call that still has none (it cannot
 * happen over mutual TLS) is closed UNAUTHENTICATED.
 */
public final class PeerCertificates implements ServerInterceptor {
  private static final Context.Key<String> BANK = Context.key("peer-bank");

  /** The bank whose certificate the current peer call presented. Read it on the gRPC thread. */
  public static String bank() {
    String bank = BANK.get();
    if (bank == null) {
      throw new IllegalStateException("not inside an authenticated peer call");
    }
    return bank;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String bank = null;
    var session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session != null) {
      try {
        var chain = session.getPeerCertificates();
        if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
          bank = BankIdentity.of(leaf).orElse(null);
        }
      } catch (SSLPeerUnverifiedException e) {
        bank = null;
      }
    }
    if (bank == null) {
      call.close(Status.UNAUTHENTICATED.withDescription("PeerService is for the consortium's banks: present a bank "
          + "certificate from the consortium CA"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(BANK, bank), call, headers, next);
  }
}
