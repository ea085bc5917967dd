package dev.distribank.node.bench;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.order.OrderCore;
import dev.distribank.node.store.Store;
import dev.distribank.node.testing.Cpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * How long a bank node with a large ledger takes from start to SERVING. Fills a real RocksDB directory through the
 * real core and store (group commits of 1,000 transactions, each with a request id), then times {@link BankNode#start}
 * on it. Not a test: run it with {@code make recovery-bench TRANSACTIONS=1000000}.
 */
public final class RecoveryBenchmark {
  public static void main(String[] args) throws Exception {
    int transactions = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int accounts = 1_000;
    Path dir = Files.createTempDirectory("distribank-recovery");
    var bank = new Bank("alpha");
    var core = new OrderCore("alpha", Set.of("alpha"), bank);
    var random = new Random(42);
    long fillStart = System.nanoTime();
    try (Store store = Store.open(dir.resolve("alpha"))) {
      var ids = new ArrayList<AccountId>();
      var principals = new ArrayList<Principal>();
      for (int i = 0; i < accounts; i++) {
        bank.createCustomer("Customer " + i, CustomerKind.INDIVIDUAL, Cpfs.cpf(1_000 + i), "c" + i, "unused");
        ids.add(bank.openAccount("c" + i, AccountKind.INDIVIDUAL).id());
        principals.add(bank.principal("c" + i));
      }
      for (int i = 0; i < transactions; i++) {
        int a = random.nextInt(accounts);
        List<Leg> legs = i < accounts * 2
            ? List.of(Leg.deposit(ids.get(i % accounts), 1_000_000))
            : List.of(Leg.transfer(ids.get(a), new Destination.ToAccount(ids.get((a + 1 + random.nextInt(accounts - 1))
                % accounts)), 1 + random.nextInt(1_000)));
        core.submit(i, principals.get(a), legs, UUID.randomUUID().toString());
        if (i % 1_000 == 999 || i == transactions - 1) {
          store.write(core.ready(), java.util.Map.of());
        }
      }
    }
    long fillMillis = (System.nanoTime() - fillStart) / 1_000_000;
    long bytes;
    try (var files = Files.walk(dir)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    long start = System.nanoTime();
    try (BankNode node = BankNode.start(NodeConfig.forTest("alpha", dir.resolve("alpha")))) {
      long recoveryMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("ledger: %,d transactions (%,d ledger entries) on %,d accounts, %,d MB on disk, filled in %,d ms%n",
          transactions, 2L * transactions - 2L * accounts, accounts, bytes >> 20, fillMillis);
      System.out.printf("recovery: start to SERVING in %,d ms (port %d)%n", recoveryMillis, node.port());
    }
  }
}
