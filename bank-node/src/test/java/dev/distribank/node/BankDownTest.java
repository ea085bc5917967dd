package dev.distribank.node;

import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bank goes down: only transactions touching it are refused, at once and by name; it comes back and catches up. */
class BankDownTest {
  @TempDir Path dir;

  @Test
  void gammaDown_transfersToGammaRefusedByName_othersFlow_thenGammaReturns() throws Exception {
    try (var cluster = new LocalCluster(dir, List.of("alpha", "beta", "gamma"))) {
      Map<String, String> tokens = new HashMap<>();
      Map<String, String> accounts = new HashMap<>();
      for (String bank : cluster.banks()) {
        tokens.put(bank, cluster.at(bank).signUp("lia", Cpfs.cpf(21)));
        accounts.put(bank, cluster.at(bank).as(tokens.get(bank)).openAccount(OpenAccountRequest.newBuilder()
            .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount());
      }
      var alpha = cluster.at("alpha").as(tokens.get("alpha"));
      alpha.deposit(DepositRequest.newBuilder().setAccount(accounts.get("alpha")).setAmountCents(10_000).build());

      cluster.stop("gamma");
      awaitState(cluster, "gamma", PeerState.PEER_STATE_DOWN);

      long started = System.nanoTime();
      var e = assertThrows(StatusRuntimeException.class, () -> alpha.transfer(TransferRequest.newBuilder()
          .addLegs(leg(accounts.get("alpha"), accounts.get("gamma"), 100)).build()));
      long refusedMillis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      assertEquals("BANK_UNAVAILABLE", reason(e));
      assertTrue(e.getStatus().getDescription().contains("gamma"), e.getStatus().getDescription());
      assertTrue(refusedMillis < 5_000, "refused without waiting for a vote time-out: " + refusedMillis + " ms");

      alpha.transfer(TransferRequest.newBuilder().addLegs(leg(accounts.get("alpha"), accounts.get("beta"), 100))
          .build());

      cluster.start("gamma");
      awaitState(cluster, "gamma", PeerState.PEER_STATE_UP);
      alpha.transfer(TransferRequest.newBuilder().addLegs(leg(accounts.get("alpha"), accounts.get("gamma"), 100))
          .build());
      assertEquals(100, cluster.at("gamma").as(tokens.get("gamma")).getBalance(GetBalanceRequest.newBuilder()
          .setAccount(accounts.get("gamma")).build()).getBalanceCents());
      assertTrue(cluster.at("beta").admin("test-admin-token").audit(AuditRequest.getDefaultInstance())
          .getBalanced());
    }
  }

  static Leg leg(String from, String to, long cents) {
    return Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to)
        .setAmountCents(cents).build();
  }

  static void awaitState(LocalCluster cluster, String bank, PeerState wanted) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      var status = cluster.at("alpha").admin("test-admin-token")
          .getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
      if (status.getBanksList().stream().anyMatch(b -> b.getBank().equals(bank) && b.getState() == wanted)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("alpha never saw " + bank + " " + wanted);
  }
}
