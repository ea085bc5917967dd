package dev.distribank.node.core.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Vote signatures for the simulation: a keyed hash only the named bank's signer computes (the simulated network
 * never signs for anyone), so a decision proves its votes exactly as certificates do, without the cost of ECDSA.
 */
final class SimulatedSigner implements VoteSigner {
  private final String bank;

  SimulatedSigner(String bank) {
    this.bank = bank;
  }

  @Override
  public VoteSignature sign(byte[] digest) {
    return new VoteSignature("sim:" + bank, mac(bank, digest), java.util.HexFormat.of().formatHex(digest));
  }

  @Override
  public boolean verify(String signer, byte[] digest, VoteSignature signature) {
    return signature != null && signature.certificate().equals("sim:" + signer)
        && signature.signature().equals(mac(signer, digest));
  }

  private static String mac(String bank, byte[] digest) {
    try {
      var sha = MessageDigest.getInstance("SHA-256");
      sha.update(("simulated key of " + bank).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
