package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.testing.Cpfs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the metrics read of the core's waiting work: in-doubt votes, their age, the delivery queue and its head. */
class WaitingGaugesTest {

  @Test
  void undecidedVoteAtTheHead_agesByTicks_untilDecided() {
    var bank = new Bank("alpha");
    var core = new OrderCore("alpha", Set.of("alpha", "beta"), bank, History.NONE, new SimulatedSigner("alpha"));
    bank.createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash");
    bank.createCustomer("Bia", CustomerKind.INDIVIDUAL, Cpfs.cpf(2), "bia", "hash");
    Principal ana = bank.principal("ana");
    AccountId a = bank.openAccount("ana", AccountKind.INDIVIDUAL).id();
    AccountId b = bank.openAccount("bia", AccountKind.INDIVIDUAL).id();
    core.submit(1, ana, List.of(Leg.deposit(a, 1_000)), "");
    core.ready();
    assertEquals(List.of(0, 0, 0, 0), gauges(core), "nothing waits");

    // t1 waits for beta's vote (alpha's own YES is in doubt); t2, local, commits behind it and waits to apply.
    core.submit(2, ana, List.of(Leg.transfer(a, new Destination.ToAccount(new AccountId("beta", 1001)), 100)), "");
    var t1 = (Message.Propose) core.ready().sent().get(0).message();
    core.submit(3, ana, List.of(Leg.transfer(a, new Destination.ToAccount(b), 50)), "");
    core.ready();
    for (int i = 0; i < 3; i++) {
      core.tick();
    }
    core.ready();
    assertEquals(List.of(1, 3, 2, 3), gauges(core), "one vote in doubt for 3 ticks, at the head of 2 queued");

    core.receive(new Envelope("beta", "alpha", new Message.Ack(t1.transactionId(), "beta", new Stamp(1, "beta"),
        null, Map.of())));
    core.ready();
    assertEquals(List.of(0, 0, 0, 0), gauges(core), "decided and applied: nothing waits");
  }

  private static List<Integer> gauges(OrderCore core) {
    return List.of(core.undecidedVotes(), core.oldestUndecidedTicks(), core.pendingVotes(),
        core.deliveryHeadTicks());
  }
}
