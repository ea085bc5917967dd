package dev.distribank.node.order;

/** Signs this bank's YES votes and checks other banks' (with their certificates from the consortium CA). */
public interface VoteSigner {
  /** This bank's signature on the vote digest {@code digest}. */
  VoteSignature sign(byte[] digest);

  /** Whether {@code signature} is bank {@code bank}'s, valid today, on {@code digest}. */
  boolean verify(String bank, byte[] digest, VoteSignature signature);

  /**
   * For a bank alone (no TLS, no peers): signs nothing and accepts nothing from others, so a core using it can never
   * commit on another bank's word.
   */
  VoteSigner ALONE = new VoteSigner() {
    @Override
    public VoteSignature sign(byte[] digest) {
      return null;
    }

    @Override
    public boolean verify(String bank, byte[] digest, VoteSignature signature) {
      return false;
    }
  };
}
