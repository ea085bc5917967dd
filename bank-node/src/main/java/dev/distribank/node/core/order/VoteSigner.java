package dev.distribank.node.core.order;

/** Signs this bank's YES votes and checks other banks' (with their certificates from the consortium CA). */
public interface VoteSigner {
  /** This bank's signature on the vote digest {@code digest}. */
  VoteSignature sign(byte[] digest);

  /** Whether {@code signature} is bank {@code bank}'s, valid today, on {@code digest}. */
  boolean verify(String bank, byte[] digest, VoteSignature signature);

  /**
   * Checks {@code signature} against the digest it names, ahead of time and on any thread, so that a later
   * {@link #verify} of the same signature over the same digest is quick. It decides nothing: {@link #verify} still
   * gets the digest the core computed itself.
   */
  default void prove(String bank, VoteSignature signature) {}

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
