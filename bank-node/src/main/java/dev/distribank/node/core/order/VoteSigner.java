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
   * {@link #prove}s the votes bank {@code self}'s core will check in {@code m}: a vote's own signature, and the votes a
   * decision carries (the coordinator's, or a participant's passed on), but {@code self}'s own, which it never checks.
   */
  default void proveAhead(String self, Message m) {
    Message.Decide decision = m instanceof Message.Known k ? k.decision() : m instanceof Message.Decide d ? d : null;
    if (decision != null) {
      decision.votes().forEach((bank, vote) -> {
        if (!bank.equals(self)) {
          prove(bank, vote);
        }
      });
    } else if (m instanceof Message.Ack a && a.signature() != null) {
      prove(a.from(), a.signature());
    }
  }

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
