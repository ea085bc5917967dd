package dev.distribank.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.VoteSignature;
import dev.distribank.proto.peer.v1.AppliedBatch;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.Vote;
import dev.distribank.proto.peer.v1.AckBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerBatchesTest {
  private static List<Message> decoded(String from, List<PeerMessage> wire) {
    var out = new ArrayList<Message>();
    for (PeerMessage body : wire) {
      for (PeerMessage m : PeerBatches.expand(from, body)) {
        out.add(PeerProtos.fromProto(from, "beta", m).message());
      }
    }
    return out;
  }

  private static List<PeerMessage.BodyCase> bodies(List<PeerMessage> wire) {
    return wire.stream().map(PeerMessage::getBodyCase).toList();
  }

  @Test
  void runsOfOneKind_goAsOneBodyEach_andReadBackAsTheSameMessagesInOrder() {
    List<Message> sent = PeerWireSamples.fromAlphaInRuns();
    List<PeerMessage> wire = PeerBatches.encode("alpha", sent);

    assertEquals(List.of(PeerMessage.BodyCase.PROPOSE_BATCH, PeerMessage.BodyCase.ACK_BATCH,
        PeerMessage.BodyCase.INQUIRE, PeerMessage.BodyCase.DECIDE_BATCH, PeerMessage.BodyCase.APPLIED_BATCH),
        bodies(wire));
    assertEquals(sent, decoded("alpha", wire));
  }

  @Test
  void aRunOfOne_goesAlone_asABankOfAnyVersionReadsIt() {
    List<Message> all = PeerWireSamples.messages();
    List<Message> sent = List.of(all.get(0), all.get(1), all.get(3), all.get(5), all.get(6)); // one of each kind
    List<PeerMessage> wire = PeerBatches.encode("alpha", sent);

    for (int i = 0; i < sent.size(); i++) {
      assertEquals(PeerProtos.toProto(sent.get(i)), wire.get(i));
    }
  }

  @Test
  void orderAcrossKinds_isKept_aDecisionNeverOvertakesItsProposal() {
    var propose = PeerWireSamples.fromAlphaInRuns().get(0);
    var abort = PeerWireSamples.fromAlphaInRuns().get(11);
    var another = PeerWireSamples.fromAlphaInRuns().get(1);
    List<Message> sent = List.of(propose, abort, another, abort);

    assertEquals(sent, decoded("alpha", PeerBatches.encode("alpha", sent)));
  }

  /** The point of a body: the sender's certificate goes once, not once per signed vote. */
  @Test
  void aBatchOfSignedDecisions_carriesTheCertificateOnce_andIsAFractionOfTheMessagesAlone() {
    String certificate = "C".repeat(1_200); // about a real one's base64 DER
    var decisions = new ArrayList<Message>();
    for (int i = 0; i < 500; i++) {
      decisions.add(new Message.Decide("alpha-" + i, true, new Stamp(100 + i, "beta"), null, Map.of("alpha",
          new VoteSignature(certificate, "S".repeat(96), "D".repeat(44), "P".repeat(440)))));
    }
    long alone = decisions.stream().mapToLong(m -> PeerProtos.toProto(m).getSerializedSize()).sum();
    List<PeerMessage> wire = PeerBatches.encode("alpha", decisions);
    long batched = wire.stream().mapToLong(PeerMessage::getSerializedSize).sum();

    assertTrue(wire.size() > 1 && wire.size() < 10, "bodies of at most ~48 KiB: " + wire.size());
    assertTrue(batched * 2 < alone, "batched " + batched + " bytes against " + alone + " alone");
    assertEquals(decisions, decoded("alpha", wire));
  }

  @Test
  void bodiesAreCut_atTheEntryBound() {
    var applied = new ArrayList<Message>();
    for (int i = 0; i < PeerBatches.MAX_ENTRIES + 1; i++) {
      applied.add(new Message.Applied("beta-" + i, "alpha"));
    }
    List<PeerMessage> wire = PeerBatches.encode("alpha", applied);

    assertEquals(List.of(PeerMessage.BodyCase.APPLIED_BATCH, PeerMessage.BodyCase.APPLIED), bodies(wire));
    assertEquals(applied, decoded("alpha", wire));
  }

  // What a hostile peer could do with a body.

  @Test
  void aBodyOfTooManyEntries_isRefusedWhole() {
    var b = AppliedBatch.newBuilder();
    for (int i = 0; i <= PeerBatches.MAX_ENTRIES; i++) {
      b.addTransactionIds("beta-" + i);
    }
    var body = PeerMessage.newBuilder().setAppliedBatch(b).build();

    assertThrows(IllegalArgumentException.class, () -> PeerBatches.expand("gamma", body));
  }

  @Test
  void whatAnEntrySaysForItself_isKept_soTheReceiversChecksSeeIt() {
    // gamma's body with a vote in alpha's name: the entry stays alpha's, and the receiver refuses it as it would
    // alone (a vote must come from its sender); the body never turns it into gamma's.
    var body = PeerMessage.newBuilder().setAckBatch(AckBatch.newBuilder().setCertificate("Z2FtbWE=")
        .addVotes(Vote.newBuilder().setTransactionId("delta-1").setFromBank("alpha"))
        .addVotes(Vote.newBuilder().setTransactionId("delta-2"))).build();
    List<PeerMessage> each = PeerBatches.expand("gamma", body);

    assertEquals("alpha", each.get(0).getAck().getFromBank());
    assertEquals("gamma", each.get(1).getAck().getFromBank());
    assertTrue(!each.get(1).getAck().hasSignature(), "an unsigned vote gains no signature from the body");
  }

  @Test
  void aProposalInAnotherBanksName_staysInItsName() {
    var legs = List.of(Leg.transfer(new AccountId("alpha", 1), new Destination.ToAccount(new AccountId("delta", 2)),
        5));
    List<Message> sent = List.of(
        new Message.Propose("alpha-1", "alpha", new Principal("alpha", "vera"), legs, List.of("alpha", "delta"), ""),
        new Message.Propose("gamma-1", "gamma", new Principal("gamma", "mallory"), legs, List.of("alpha", "delta"),
            ""));
    // Encoded by gamma: the first is not gamma's, so its coordinator stays written out.
    List<Message> read = decoded("gamma", PeerBatches.encode("gamma", sent));

    assertEquals(sent, read);
  }
}
