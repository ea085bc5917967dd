package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.bank.v1.TransferResponse;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop (what SIGTERM runs) while cross-bank transfers are in flight at the stopping bank: each one
 * finishes, or is refused with a clear status, never cancelled half-way; and what was answered is what was applied.
 */
class GracefulStopTest {
  static final int TRANSFERS = 200;
  @TempDir Path dir;

  @Test
  void stopWhileCrossBankTransfersAreInFlight_eachCompletesOrIsRefusedClearly_andTheBooksAgree() throws Exception {
    try (var cluster = new LocalCluster(dir, List.of("alpha", "beta"))) {
      String ana = cluster.at("alpha").signUp("ana", Cpfs.cpf(51));
      String bia = cluster.at("beta").signUp("bia", Cpfs.cpf(52));
      String from = cluster.at("alpha").as(ana).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      String to = cluster.at("beta").as(bia).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      cluster.at("alpha").as(ana).deposit(DepositRequest.newBuilder().setAccount(from).setAmountCents(1_000_000)
          .build());

      var stub = BankServiceGrpc.newFutureStub(cluster.at("alpha").channel())
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(Clients.bearer(ana)))
          .withDeadlineAfter(60, TimeUnit.SECONDS);
      var calls = new ArrayList<ListenableFuture<TransferResponse>>();
      for (int i = 0; i < TRANSFERS; i++) {
        calls.add(stub.transfer(TransferRequest.newBuilder().addLegs(Leg.newBuilder()
            .setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to).setAmountCents(100)).build()));
      }
      cluster.terminate("alpha"); // the node's close(), as the SIGTERM hook calls it, with the calls above in flight

      Map<Status.Code, Integer> answers = new TreeMap<>();
      for (var call : calls) {
        Status.Code code;
        try {
          call.get(60, TimeUnit.SECONDS);
          code = Status.Code.OK;
        } catch (ExecutionException e) {
          code = Status.fromThrowable(e.getCause()).getCode();
        }
        answers.merge(code, 1, Integer::sum);
      }
      System.out.println("graceful stop: " + TRANSFERS + " transfers in flight answered " + answers);
      assertTrue(java.util.Set.of(Status.Code.OK, Status.Code.UNAVAILABLE).containsAll(answers.keySet()),
          "every call committed, or was refused as the node stopped taking calls: " + answers);

      cluster.start("alpha");
      cluster.awaitAllUp();
      long committed = answers.getOrDefault(Status.Code.OK, 0);
      assertEquals(committed * 100, cluster.at("beta").as(bia).getBalance(GetBalanceRequest.newBuilder()
          .setAccount(to).build()).getBalanceCents(), "exactly the answered transfers arrived");
      assertEquals(1_000_000 - committed * 100, cluster.at("alpha").as(ana).getBalance(GetBalanceRequest.newBuilder()
          .setAccount(from).build()).getBalanceCents());
      var audit = cluster.at("beta").admin("test-admin-token").audit(AuditRequest.getDefaultInstance());
      assertTrue(audit.getBalanced() && audit.getBilateralAgreed(), audit.toString());
    }
  }
}
