package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.*;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consortia of 1, 2, 4 and 7 real nodes: money deposited at every bank travels round the ring in one transaction
 * per hop and then in one all-banks transaction, and the audit balances to the cent.
 */
class ClusterSizesTest {
  static final List<String> NAMES = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta");
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 7})
  void ringOfTransfers_thenAllBanksAtOnce_auditBalances(int size) throws Exception {
    var banks = NAMES.subList(0, size);
    try (var cluster = new LocalCluster(dir, banks)) {
      var tokens = new ArrayList<String>();
      var accounts = new ArrayList<String>();
      for (String bank : banks) {
        String token = cluster.at(bank).signUp("rui", Cpfs.cpf(77));
        tokens.add(token);
        String account = cluster.at(bank).as(token).openAccount(OpenAccountRequest.newBuilder()
            .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
        accounts.add(account);
        cluster.at(bank).as(token).deposit(DepositRequest.newBuilder().setAccount(account).setAmountCents(1_000)
            .build());
      }
      var tokenByBank = new java.util.LinkedHashMap<String, String>();
      var accountByBank = new java.util.LinkedHashMap<String, String>();
      for (int i = 0; i < size; i++) {
        tokenByBank.put(banks.get(i), tokens.get(i));
        accountByBank.put(banks.get(i), accounts.get(i));
      }
      dev.distribank.node.testing.Clients.consentEverywhere(cluster::at, "rui", tokenByBank, accountByBank);
      for (int i = 0; i < size; i++) {
        int next = (i + 1) % size;
        if (next != i) {
          cluster.at(banks.get(i)).as(tokens.get(i)).transfer(TransferRequest.newBuilder().addLegs(Leg.newBuilder()
              .setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(accounts.get(i)).setToAccount(accounts.get(next))
              .setAmountCents(100 + i)).build());
        }
      }
      var everyone = TransferRequest.newBuilder();
      for (int i = 1; i < size; i++) {
        everyone.addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(accounts.get(i))
            .setToAccount(accounts.get(0)).setAmountCents(50));
      }
      everyone.addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_WITHDRAWAL).setFromAccount(accounts.get(0))
          .setAmountCents(10));
      cluster.at(banks.get(0)).as(tokens.get(0)).transfer(everyone.build());

      var audit = cluster.at(banks.get(size - 1)).admin("test-admin-token").audit(AuditRequest.getDefaultInstance());

      assertTrue(audit.getBalanced(), audit.toString());
      assertTrue(audit.getNoNegativeBalance());
      assertEquals(size, audit.getBanksCount());
      assertEquals(1_000L * size - 10, audit.getTotalBalanceCents());
      long ringIn = size > 1 ? 100 + (size - 1) : 0;
      long ringOut = size > 1 ? 100 : 0;
      long expectedFirst = 1_000 - ringOut + ringIn + 50L * (size - 1) - 10;
      assertEquals(expectedFirst, cluster.at(banks.get(0)).as(tokens.get(0)).getBalance(GetBalanceRequest
          .newBuilder().setAccount(accounts.get(0)).build()).getBalanceCents());
    }
  }
}
