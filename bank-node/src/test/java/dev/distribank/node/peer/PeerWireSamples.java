package dev.distribank.node.peer;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.VoteSignature;
import java.util.List;
import java.util.Map;

/**
 * One of each kind of peer message, between them setting every field the peer schema has: the sample whose bytes, as
 * the node of commit 39c6e8b wrote them, {@link PeerWireCompatibilityTest} pins.
 */
final class PeerWireSamples {
  private PeerWireSamples() {}

  static final String FROM_BANK = "alpha";

  static List<Message> messages() {
    var legs = List.of(
        Leg.transfer(new AccountId("alpha", 1001), new Destination.ToPixKey("beta", "caio@example.com"), 2_500),
        Leg.withdrawal(new AccountId("alpha", 1002), 700));
    var beta = new VoteSignature("Y2VydC1iZXRh", "c2lnLWJldGE=", "ZGlnZXN0LWJldGE=");
    // Every map holds one entry: the domain copies maps with Map.copyOf, whose iteration order (and so the order a
    // map of two entries is encoded in) changes from one JVM to the next; the bytes must not.
    var refusal = new Rejection(Reason.INSUFFICIENT_FUNDS, "legs[1].amount_cents", "alpha:1002 has R$ 1,00",
        Map.of(), 1);
    return List.of(
        new Message.Propose("alpha-7", "alpha", new Principal("alpha", "caio"), legs, List.of("alpha", "beta"),
            "req-42"),
        new Message.Ack("alpha-7", "beta", new Stamp(12, "beta"), null,
            Map.of(0, new AccountId("beta", 2001)), beta),
        new Message.Ack("alpha-8", "beta", null, refusal, Map.of()),
        new Message.Decide("alpha-7", true, new Stamp(13, "beta"), null, Map.of("beta", beta)),
        new Message.Decide("alpha-8", false, null, refusal),
        new Message.Applied("alpha-7", "beta"),
        new Message.Inquire("alpha-9", "beta"));
  }

  /** A YES vote whose signature covers a batch of votes (a field added after 39c6e8b, so not in the pinned bytes). */
  static Message batchSignedVote() {
    return new Message.Ack("alpha-7", "beta", new Stamp(12, "beta"), null, Map.of(0, new AccountId("beta", 2001)),
        new VoteSignature("Y2VydC1iZXRh", "c2lnLWJldGE=", "cm9vdA==", "AQID"));
  }

  /**
   * Messages alpha sends, two or more of each kind a batch body carries, in runs: proposals of alpha's (one for a
   * customer of another bank, which no participant accepts but the wire must carry as it is), alpha's votes (signed
   * with one certificate, one with another), decisions with votes of two banks, alpha's applieds, and one of
   * another kind between runs.
   */
  static List<Message> fromAlphaInRuns() {
    var legs = List.of(Leg.transfer(new AccountId("alpha", 1001), new Destination.ToAccount(new AccountId("beta",
        2001)), 2_500));
    var alpha = new VoteSignature("Y2VydC1hbHBoYQ==", "c2lnLWFscGhh", "ZGlnZXN0LTE=", "AQID");
    var alpha2 = new VoteSignature("Y2VydC1hbHBoYQ==", "c2lnLWFscGhh", "ZGlnZXN0LTI=", "AQIE");
    var renewed = new VoteSignature("cmVuZXdlZA==", "c2lnLTI=", "ZGlnZXN0LTM=", "");
    var gamma = new VoteSignature("Y2VydC1nYW1tYQ==", "c2lnLWdhbW1h", "ZGlnZXN0LWc=", "AQIF");
    var refusal = new Rejection(Reason.INSUFFICIENT_FUNDS, "legs[0].amount_cents", "alpha:1001 has R$ 1,00",
        Map.of(), 0);
    return List.of(
        new Message.Propose("alpha-1", "alpha", new Principal("alpha", "caio"), legs, List.of("alpha", "beta"), "r1"),
        new Message.Propose("alpha-2", "alpha", new Principal("alpha", "ana"), legs, List.of("alpha", "beta"), "r2"),
        new Message.Propose("alpha-3", "alpha", new Principal("gamma", "eve"), legs, List.of("alpha", "beta"), "r3"),
        new Message.Ack("beta-1", "alpha", new Stamp(3, "alpha"), null, Map.of(), alpha),
        new Message.Ack("beta-2", "alpha", new Stamp(4, "alpha"), null, Map.of(0, new AccountId("alpha", 7)), alpha2),
        new Message.Ack("beta-3", "alpha", null, refusal, Map.of()),
        new Message.Ack("beta-4", "alpha", new Stamp(5, "alpha"), null, Map.of(), renewed),
        new Message.Inquire("beta-9", "alpha"),
        new Message.Decide("alpha-1", true, new Stamp(9, "beta"), null, Map.of("alpha", alpha)),
        new Message.Decide("alpha-2", true, new Stamp(10, "beta"), null, Map.of("alpha", alpha2)),
        new Message.Decide("alpha-4", true, new Stamp(11, "gamma"), null, Map.of("alpha", renewed, "gamma", gamma)),
        new Message.Decide("alpha-3", false, null, refusal),
        new Message.Applied("beta-1", "alpha"),
        new Message.Applied("beta-2", "alpha"));
  }
}
