package dev.distribank.node.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.order.VoteSignature;
import dev.distribank.node.core.order.VoteSigner;
import dev.distribank.pki.Consortium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ECDSA vote signatures: who may sign for whom, and what checking ahead of time may and may not decide. */
class VoteSignerTest {
  @TempDir Path dir;

  @Test
  void signaturesProveOnlyTheirBankAndTheirDigest_andProvingAheadNeverTrustsTheStatedDigest() throws Exception {
    Consortium.init(dir, List.of("alpha", "beta"), Map.of(), Duration.ofDays(1));
    var timers = Executors.newSingleThreadScheduledExecutor();
    try (var alphaTls = new NodeTls("alpha", Set.of("alpha", "beta"), TlsFiles.inDirectory(dir, "alpha"), timers);
        var betaTls = new NodeTls("beta", Set.of("alpha", "beta"), TlsFiles.inDirectory(dir, "beta"), timers)) {
      VoteSigner alpha = alphaTls.voteSigner();
      VoteSigner beta = betaTls.voteSigner();
      byte[] real = new byte[32];
      real[0] = 1;
      byte[] other = new byte[32];
      other[0] = 2;

      VoteSignature vote = alpha.sign(real);
      assertTrue(beta.verify("alpha", real, vote));
      assertFalse(beta.verify("beta", real, vote), "alpha's signature does not speak for beta");
      assertFalse(beta.verify("alpha", other, vote), "nor for another proposal");
      var tampered = new VoteSignature(vote.certificate(), Base64.getEncoder().encodeToString(new byte[71]),
          vote.digest());
      assertFalse(beta.verify("alpha", real, tampered));

      // Alpha signs one proposal and claims the signature is over it; beta's core asks about another one.
      VoteSignature signedOther = alpha.sign(other);
      beta.prove("alpha", signedOther);
      assertFalse(beta.verify("alpha", real, new VoteSignature(signedOther.certificate(), signedOther.signature(),
          Base64.getEncoder().encodeToString(real))), "a proven signature over another digest proves nothing here");
      beta.prove("alpha", vote);
      assertTrue(beta.verify("alpha", real, vote), "proven ahead of time, then used");
      assertTrue(beta.verify("alpha", real, vote), "and checked in full when asked again");
    } finally {
      timers.shutdownNow();
    }
  }

  @Test
  void oneSignatureOverABatch_isVerifiedOnce_forAllItsVotes() throws Exception {
    Consortium.init(dir, List.of("alpha", "beta"), Map.of(), Duration.ofDays(1));
    var timers = Executors.newSingleThreadScheduledExecutor();
    try (var alphaTls = new NodeTls("alpha", Set.of("alpha", "beta"), TlsFiles.inDirectory(dir, "alpha"), timers);
        var betaTls = new NodeTls("beta", Set.of("alpha", "beta"), TlsFiles.inDirectory(dir, "beta"), timers)) {
      var digests = new java.util.ArrayList<byte[]>();
      for (int i = 0; i < 100; i++) {
        byte[] d = new byte[32];
        d[0] = (byte) i;
        d[1] = 7;
        digests.add(d);
      }
      List<VoteSignature> votes = dev.distribank.node.core.order.VoteBatch.sign(alphaTls.voteSigner(), digests);
      var beta = (CertificateVoteSigner) betaTls.voteSigner();
      long before = beta.verifications();
      votes.forEach(v -> beta.prove("alpha", v)); // as the peer link does for every vote of a frame
      for (int i = 0; i < votes.size(); i++) {
        assertTrue(dev.distribank.node.core.order.VoteBatch.verify(beta, "alpha", digests.get(i), votes.get(i)));
      }
      org.junit.jupiter.api.Assertions.assertEquals(1, beta.verifications() - before,
          "the batch's one signature is checked once, not once per vote");
    } finally {
      timers.shutdownNow();
    }
  }
}
