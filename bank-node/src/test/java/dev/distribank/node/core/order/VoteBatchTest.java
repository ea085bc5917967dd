package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.testing.Cpfs;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * One signature for a step's YES votes: each vote's path leads from its own digest to the signed root, no other
 * digest's does, and a forged or garbled path proves nothing.
 */
class VoteBatchTest {
  /** Counts the signatures a bank makes. */
  static final class CountingSigner implements VoteSigner {
    final SimulatedSigner inner;
    int signatures;

    CountingSigner(String bank) {
      inner = new SimulatedSigner(bank);
    }

    @Override
    public VoteSignature sign(byte[] digest) {
      signatures++;
      return inner.sign(digest);
    }

    @Override
    public boolean verify(String bank, byte[] digest, VoteSignature signature) {
      return inner.verify(bank, digest, signature);
    }
  }

  private static List<byte[]> digests(int n) {
    var out = new ArrayList<byte[]>();
    for (int i = 0; i < n; i++) {
      out.add(Hashing.sha256().hashInt(i).asBytes());
    }
    return out;
  }

  @ParameterizedTest(name = "{0} votes")
  @ValueSource(ints = {1, 2, 3, 5, 8, 13, 1000})
  void everyVoteOfABatch_verifiesOverItsOwnDigestOnly(int n) {
    var signer = new CountingSigner("alpha");
    List<byte[]> digests = digests(n);
    List<VoteSignature> signed = VoteBatch.sign(signer, digests);

    assertEquals(1, signer.signatures, "one signature for the whole batch");
    for (int i = 0; i < n; i++) {
      assertTrue(VoteBatch.verify(signer, "alpha", digests.get(i), signed.get(i)), "vote " + i);
      assertFalse(VoteBatch.verify(signer, "beta", digests.get(i), signed.get(i)), "in another bank's name");
      if (n > 1) {
        assertFalse(VoteBatch.verify(signer, "alpha", digests.get((i + 1) % n), signed.get(i)),
            "vote " + i + "'s path for another vote's digest");
      }
    }
    assertEquals(n == 1, signed.get(0).path().isEmpty(), "a batch of one signs the digest itself");
  }

  @Test
  void garbledPaths_proveNothing() {
    var signer = new SimulatedSigner("alpha");
    List<byte[]> digests = digests(4);
    VoteSignature good = VoteBatch.sign(signer, digests).get(2);
    byte[] path = Base64.getDecoder().decode(good.path());

    byte[] flippedSide = path.clone();
    flippedSide[0] ^= 1;
    byte[] badSide = path.clone();
    badSide[0] = 7;
    byte[] flippedHash = path.clone();
    flippedHash[5] ^= 1;
    for (String bad : List.of(Base64.getEncoder().encodeToString(flippedSide),
        Base64.getEncoder().encodeToString(badSide), Base64.getEncoder().encodeToString(flippedHash),
        good.path().substring(4), "not base64!", Base64.getEncoder().encodeToString(new byte[33 * 41]))) {
      var forged = new VoteSignature(good.certificate(), good.signature(), good.digest(), bad);
      assertFalse(VoteBatch.verify(signer, "alpha", digests.get(2), forged), bad);
    }
    assertNull(VoteBatch.signedOver(digests.get(2), "not base64!"));
    assertFalse(VoteBatch.verify(signer, "alpha", digests.get(2), null));
  }

  @Test
  void aStepsOwnVotes_oneSignature_eachCommitProvesItsOwnTransaction() {
    var signer = new CountingSigner("alpha");
    var alpha = new Bank("alpha");
    var core = new OrderCore("alpha", Set.of("alpha", "beta"), alpha, History.NONE, signer);
    alpha.createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash");
    AccountId ana = alpha.openAccount("ana", AccountKind.INDIVIDUAL).id();
    core.submit(1, alpha.principal("ana"), List.of(Leg.deposit(ana, 10_000)), "");
    core.ready();

    for (int i = 0; i < 3; i++) {
      core.submit(10 + i, alpha.principal("ana"), List.of(Leg.transfer(ana,
          new Destination.ToAccount(new AccountId("beta", 1001 + i)), 100 + i)), "");
    }
    List<Message.Propose> proposals = core.ready().sent().stream().map(e -> (Message.Propose) e.message()).toList();
    assertEquals(3, proposals.size());
    assertEquals(1, signer.signatures, "alpha's three YES votes of one step share one signature");

    for (Message.Propose p : proposals) {
      core.receive(new Envelope("beta", "alpha", new Message.Ack(p.transactionId(), "beta",
          new dev.distribank.node.core.ledger.Stamp(1, "beta"), null, java.util.Map.of())));
    }
    var decisions = core.ready().sent().stream().map(e -> assertInstanceOf(Message.Decide.class, e.message()))
        .toList();
    assertEquals(3, decisions.size());
    for (int i = 0; i < 3; i++) {
      VoteSignature vote = decisions.get(i).votes().get("alpha");
      assertTrue(VoteBatch.verify(signer, "alpha", Votes.digest(proposals.get(i), "alpha"), vote));
      assertFalse(VoteBatch.verify(signer, "alpha", Votes.digest(proposals.get((i + 1) % 3), "alpha"), vote),
          "a COMMIT's proof is for its own transaction only");
    }
    assertEquals(1, signer.signatures, "deciding signs nothing more");
  }

  @Test
  void batchingSwitchedOff_eachVoteSignedAlone_asOlderBanksCheckThem() {
    var signer = new CountingSigner("alpha");
    var alpha = new Bank("alpha");
    var core = new OrderCore("alpha", Set.of("alpha", "beta"), alpha, History.NONE, signer,
        OrderConfig.DEFAULT.withBatchVoteSignatures(false));
    alpha.createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash");
    AccountId ana = alpha.openAccount("ana", AccountKind.INDIVIDUAL).id();
    core.submit(1, alpha.principal("ana"), List.of(Leg.deposit(ana, 10_000)), "");
    core.ready();
    for (int i = 0; i < 3; i++) {
      core.submit(10 + i, alpha.principal("ana"), List.of(Leg.transfer(ana,
          new Destination.ToAccount(new AccountId("beta", 1001 + i)), 100 + i)), "");
    }
    List<Message.Propose> proposals = core.ready().sent().stream().map(e -> (Message.Propose) e.message()).toList();
    assertEquals(3, signer.signatures, "one signature per vote");
    for (Message.Propose p : proposals) {
      core.receive(new Envelope("beta", "alpha", new Message.Ack(p.transactionId(), "beta",
          new dev.distribank.node.core.ledger.Stamp(1, "beta"), null, java.util.Map.of())));
    }
    for (var e : core.ready().sent()) {
      VoteSignature vote = ((Message.Decide) e.message()).votes().get("alpha");
      assertTrue(vote.path().isEmpty(), "signed over the vote's own digest, as an older bank checks it");
      Message.Propose p = proposals.stream().filter(x -> x.transactionId().equals(e.message().transactionId()))
          .findFirst().orElseThrow();
      assertTrue(signer.inner.verify("alpha", Votes.digest(p, "alpha"), vote), "the check an older bank makes");
    }
  }
}
