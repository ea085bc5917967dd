package dev.distribank.node.core.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Vote signatures at the cost of one SHA-256: a keyed hash only the named bank's signer computes, as the simulation's
 * signer does (bank-node's test tree; copied, so the benchmarks need no test classes). The core benchmarks use it to
 * measure the protocol, not ECDSA; {@code VoteSignatureBenchmark} measures the real P-256 signer.
 */
public final class KeyedHashSigner implements VoteSigner {
  private final String bank;

  public KeyedHashSigner(String bank) {
    this.bank = bank;
  }

  @Override
  public VoteSignature sign(byte[] digest) {
    return new VoteSignature("bench:" + bank, mac(bank, digest), HexFormat.of().formatHex(digest));
  }

  @Override
  public boolean verify(String signer, byte[] digest, VoteSignature signature) {
    return signature != null && signature.certificate().equals("bench:" + signer)
        && signature.signature().equals(mac(signer, digest));
  }

  private static String mac(String bank, byte[] digest) {
    try {
      var sha = MessageDigest.getInstance("SHA-256");
      sha.update(("benchmark key of " + bank).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
