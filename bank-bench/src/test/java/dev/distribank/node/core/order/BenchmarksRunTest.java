package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.bench.Transfers;
import dev.distribank.node.peer.PeerFramesBenchmark;
import dev.distribank.node.store.WriteBatchBenchmark;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark, once, on a small batch and outside JMH: their set-ups still drive the core the way it works and
 * their own checks pass, so {@code make jmh} does not find out first that a change to the node broke one. It times
 * nothing.
 */
class BenchmarksRunTest {
  static final int TRANSFERS = 10;
  /** Enough to run the filling, with the twins kept in lockstep; not enough to take long. */
  static final int HISTORY = 1_500;

  @Test
  void applyBatch_participantAndBothBanks_commitEveryTransfer() {
    var bench = new ApplyBatchBenchmark();
    var participant = new ApplyBatchBenchmark.ParticipantBatch();
    participant.transfers = TRANSFERS;
    participant.history = HISTORY;
    participant.banks();
    var both = new ApplyBatchBenchmark.BothBanks();
    both.transfers = TRANSFERS;
    both.history = HISTORY;
    both.banks();
    var counted = new Transfers();
    for (int run = 0; run < 3; run++) {
      participant.nextBatch();
      assertEquals(TRANSFERS, bench.participant(participant, counted).sent().size(), "one Applied each");
      both.nextBatch();
      assertEquals(TRANSFERS, bench.bothBanks(both, counted).alphaSteps().get(2).answers().size());
    }
    assertEquals(6 * TRANSFERS, counted.transfers);
    assertEquals(0, participant.beta.pendingVotes());
  }

  @Test
  void deliveryQueue_heldBackBatch_deliveredWholeByItsFirstDecision() {
    var bench = new DeliveryQueueBenchmark();
    var heldBack = new DeliveryQueueBenchmark.HeldBack();
    heldBack.transfers = TRANSFERS;
    heldBack.history = HISTORY;
    heldBack.banks();
    var votes = new DeliveryQueueBenchmark.QueuedVotes();
    votes.transfers = TRANSFERS;
    votes.votes();
    var counted = new Transfers();
    for (int run = 0; run < 3; run++) {
      heldBack.nextBatch();
      assertEquals(TRANSFERS, bench.behindUndecidedHead(heldBack, counted).sent().size());
      assertEquals(TRANSFERS, bench.queueAlone(votes, counted));
    }
  }

  @Test
  void digests_areSha256() {
    var bench = new DigestBenchmark();
    bench.transfer();
    assertEquals(32, bench.voteDigest().length);
    assertEquals(32, bench.requestFingerprint().digest().length);
  }

  @Test
  void voteSignatures_realP256_signedAloneAndInABatch_verify() throws Exception {
    var bench = new VoteSignatureBenchmark();
    var signers = new VoteSignatureBenchmark.Signers();
    signers.consortium();
    try {
      var counted = new VoteSignatureBenchmark.VoteCount();
      assertEquals(1, bench.signOne(signers, counted).size());
      assertEquals(VoteSignatureBenchmark.BATCH, bench.signBatchOf100(signers, counted).size());
      var one = new VoteSignatureBenchmark.FreshVote();
      one.sign(signers);
      assertTrue(bench.verifyOne(signers, one, counted));
      var batch = new VoteSignatureBenchmark.FreshBatch();
      batch.sign(signers);
      assertTrue(bench.verifyBatchOf100(signers, batch, counted));
      assertEquals(2 + 2 * VoteSignatureBenchmark.BATCH, counted.votes);
    } finally {
      signers.close();
    }
  }

  @Test
  void peerFrames_encodedBatch_decodesToEveryMessage() throws Exception {
    var bench = new PeerFramesBenchmark();
    bench.transfers = TRANSFERS;
    bench.batch();
    var counted = new Transfers();
    assertTrue(bench.encode(counted).size() >= 4, "a frame per step at least");
    assertTrue(bench.decode(counted) > 0);
    bench.report();
  }

  @Test
  void writeBatch_preparedAndEncoded_notEmpty() throws Exception {
    var bench = new WriteBatchBenchmark();
    bench.transfers = TRANSFERS;
    bench.batch();
    try {
      var counted = new Transfers();
      assertFalse(bench.writeBatch(counted), "every step writes something");
      long[] sizes = bench.sizes();
      // Per transfer, at least its entries, accounts, operation lines and request; the votes and coordinations of
      // the whole batch take one record per write.
      assertTrue(sizes[0] >= 6L * TRANSFERS && sizes[0] <= 12L * TRANSFERS, "puts and deletes: " + sizes[0]);
    } finally {
      bench.close();
    }
  }
}
