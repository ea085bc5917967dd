package dev.distribank.cli;

import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetBalanceResponse;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.OpenAccountResponse;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.bank.v1.TransferResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake bank on a loopback port that answers UNAVAILABLE to its next N calls, then answers, and keeps every request it
 * got: how a node restarting its listener looks to a client, made to order. Serves Transfer, OpenAccount and
 * GetBalance.
 */
public final class FlakyBank extends BankServiceGrpc.BankServiceImplBase implements AutoCloseable {
  private final AtomicInteger failures = new AtomicInteger();
  private final List<Object> requests = new CopyOnWriteArrayList<>();
  private Server server;

  private FlakyBank() {}

  /** Starts one on a free loopback port, plaintext. */
  public static FlakyBank start() throws IOException {
    var bank = new FlakyBank();
    bank.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(bank).build()
        .start();
    return bank;
  }

  /** Where it listens, HOST:PORT. */
  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Answers the next {@code calls} calls with UNAVAILABLE. */
  public void failNext(int calls) {
    failures.set(calls);
  }

  /** Every request received, in order. */
  public List<Object> requests() {
    return requests;
  }

  private <R> void answer(Object request, R response, StreamObserver<R> observer) {
    requests.add(request);
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      observer.onError(Status.UNAVAILABLE.withDescription("node restarting").asRuntimeException());
    } else {
      observer.onNext(response);
      observer.onCompleted();
    }
  }

  @Override
  public void transfer(TransferRequest request, StreamObserver<TransferResponse> observer) {
    answer(request, TransferResponse.newBuilder().setReceipt(TransactionReceipt.newBuilder()
        .setTransactionId("alpha-1").setRequestId(request.getRequestId())).build(), observer);
  }

  @Override
  public void openAccount(OpenAccountRequest request, StreamObserver<OpenAccountResponse> observer) {
    answer(request, OpenAccountResponse.getDefaultInstance(), observer);
  }

  @Override
  public void getBalance(GetBalanceRequest request, StreamObserver<GetBalanceResponse> observer) {
    answer(request, GetBalanceResponse.newBuilder().setAccount(request.getAccount()).build(), observer);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
