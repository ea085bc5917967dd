package dev.distribank.node.api;

import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.DepositResponse;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty thousand deposits in flight at once against one real node: every one is answered, either applied or refused
 * at once with RESOURCE_EXHAUSTED and a RetryInfo; nothing is lost or applied twice; the node serves afterwards.
 */
class CallFloodTest {
  static final int CALLS = 30_000;
  @TempDir Path dir;

  @Test
  void thirtyThousandCallsInFlight_eachAppliedOrRefusedAtOnce_nothingLost() throws Exception {
    try (BankNode node = BankNode.start(NodeConfig.forTest("alpha", dir)); Clients clients = new Clients(node.port())) {
      String ana = clients.signUp("ana", Cpfs.cpf(1));
      String account = clients.as(ana).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      var stub = BankServiceGrpc.newStub(clients.channel()).withDeadlineAfter(120, TimeUnit.SECONDS)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(Clients.bearer(ana)));
      var applied = new AtomicLong();
      var answers = new ConcurrentHashMap<String, AtomicLong>();
      var done = new CountDownLatch(CALLS);
      for (int i = 0; i < CALLS; i++) {
        stub.deposit(DepositRequest.newBuilder().setAccount(account).setAmountCents(1).build(),
            new StreamObserver<DepositResponse>() {
              @Override
              public void onNext(DepositResponse value) {
                applied.incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {
                var e = (StatusRuntimeException) t;
                boolean retryable = e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED
                    && reason(e).equals("OVERLOADED") && StatusProto.fromThrowable(e).getDetailsList().stream()
                        .anyMatch(d -> d.is(RetryInfo.class));
                answers.computeIfAbsent(retryable ? "OVERLOADED" : e.getStatus().toString(), k -> new AtomicLong())
                    .incrementAndGet();
                done.countDown();
              }

              @Override
              public void onCompleted() {
                answers.computeIfAbsent("OK", k -> new AtomicLong()).incrementAndGet();
                done.countDown();
              }
            });
      }
      assertTrue(done.await(120, TimeUnit.SECONDS), "every call was answered");
      System.out.println("flood: " + CALLS + " deposits in flight: " + answers);

      assertTrue(answers.keySet().stream().allMatch(k -> k.equals("OK") || k.equals("OVERLOADED")), answers::toString);
      assertEquals(applied.get(), clients.as(ana).getBalance(GetBalanceRequest.newBuilder().setAccount(account)
          .build()).getBalanceCents(), "exactly the answered deposits were applied");
      assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(clients.channel())
          .check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }
  }
}
