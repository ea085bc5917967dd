package dev.distribank.node.testing;

import com.google.rpc.ErrorInfo;
import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.CreateCustomerRequest;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.LoginRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** Real gRPC clients for tests: a channel to a node on loopback (plaintext or TLS), with or without a token. */
public final class Clients implements AutoCloseable {
  private final ManagedChannel channel;

  /** Plaintext, to a lone bank started without a certificate. */
  public Clients(int port) {
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /** TLS, trusting the consortium CA {@code ca} (and checking the node's certificate names 127.0.0.1). */
  public Clients(int port, java.nio.file.Path ca) {
    this.channel = io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", port, tls(ca)).build();
  }

  /** TLS credentials that trust {@code ca}, as {@code bank-admin --tls --ca-cert} does. */
  public static io.grpc.ChannelCredentials tls(java.nio.file.Path ca) {
    try {
      return io.grpc.TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public ManagedChannel channel() {
    return channel;
  }

  public BankServiceGrpc.BankServiceBlockingStub anonymous() {
    return BankServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public BankServiceGrpc.BankServiceBlockingStub as(String token) {
    return anonymous().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
  }

  public AdminServiceGrpc.AdminServiceBlockingStub admin(String token) {
    return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
  }

  /** Creates an individual customer with a valid CPF and returns a session token. */
  public String signUp(String login, String cpf) {
    anonymous().createCustomer(CreateCustomerRequest.newBuilder().setName("Test " + login).setCpf(cpf)
        .setLogin(login).setPassword("correct horse").build());
    return logIn(login);
  }

  public String logIn(String login) {
    return anonymous().login(LoginRequest.newBuilder().setLogin(login).setPassword("correct horse").build())
        .getToken();
  }

  /**
   * Grants, as the holder behind {@code token}, {@code grantee} ({@code bank:login} of another bank) an unlimited
   * consent to debit {@code account}, and returns its id.
   */
  public long grantConsent(String token, String account, String grantee) {
    return as(token).grantConsent(GrantConsentRequest.newBuilder().setAccount(account).setGrantee(grantee).build())
        .getConsent().getId();
  }

  /**
   * The same person with a login {@code login} at every bank of {@code tokens} (bank → that login's token) and one
   * account at each ({@code accounts}): lets each bank's login debit the accounts at every other bank.
   */
  public static void consentEverywhere(java.util.function.Function<String, Clients> at, String login,
      java.util.Map<String, String> tokens, java.util.Map<String, String> accounts) {
    for (String holderBank : accounts.keySet()) {
      for (String granteeBank : tokens.keySet()) {
        if (!granteeBank.equals(holderBank)) {
          at.apply(holderBank).grantConsent(tokens.get(holderBank), accounts.get(holderBank),
              granteeBank + ":" + login);
        }
      }
    }
  }

  public static Metadata bearer(String token) {
    var m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return m;
  }

  /** The ErrorInfo reason of a failed call. */
  public static String reason(StatusRuntimeException e) {
    var status = StatusProto.fromThrowable(e);
    if (status == null) {
      return "";
    }
    return status.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst().map(a -> {
      try {
        return a.unpack(ErrorInfo.class).getReason();
      } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
        throw new IllegalStateException(ex);
      }
    }).orElse("");
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }
}
