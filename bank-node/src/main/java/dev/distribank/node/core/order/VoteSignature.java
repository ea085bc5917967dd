package dev.distribank.node.core.order;

import java.util.Objects;

/**
 * A bank's signature on its YES vote: what lets every other participant check, from the decision alone, that a
 * COMMIT is backed by each bank whose money it moves (a coordinator cannot forge another bank's consent to pay).
 *
 * <p>One signature may cover many votes: the signer signs the root of a Merkle tree over the votes' digests, and each
 * vote carries the {@link #path} from its own digest to that root ({@link VoteBatch}). With an empty path the
 * signature is over the vote's digest itself.
 *
 * <p>A vote cast during a step is signed when the step's output is handed out ({@link OrderCore#ready()}), all of the
 * step's votes at once: until then it is {@linkplain #pending pending}, and its fields may not be read.
 */
public final class VoteSignature {
  /** What a signer that signs nothing gives: no certificate, no signature; no verifier accepts it. */
  static final VoteSignature NONE = new VoteSignature("", "", "", "");

  private final String certificate;
  private final String signature;
  private final String digest;
  private final String path;
  private final byte[] pendingDigest;
  private VoteSignature resolved;

  /**
   * @param certificate the signer's certificate, base64 DER (it names the bank; the consortium CA vouches for it)
   * @param signature the signature over {@link #digest}, base64
   * @param digest what the signer says it signed (the vote digest, or a batch's root), in the signer's encoding: lets
   *     a receiver check the signature before its event loop needs it; the loop recomputes the digest from its own copy
   *     of the proposal and never trusts this one
   * @param path from the vote's digest to the signed root, base64 ({@link VoteBatch}); empty when the vote's digest
   *     itself was signed
   */
  public VoteSignature(String certificate, String signature, String digest, String path) {
    this.certificate = Objects.requireNonNull(certificate);
    this.signature = Objects.requireNonNull(signature);
    this.digest = Objects.requireNonNull(digest);
    this.path = Objects.requireNonNull(path);
    this.pendingDigest = null;
  }

  /** A signature over the vote's digest itself. */
  public VoteSignature(String certificate, String signature, String digest) {
    this(certificate, signature, digest, "");
  }

  private VoteSignature(byte[] pendingDigest) {
    this.certificate = null;
    this.signature = null;
    this.digest = null;
    this.path = null;
    this.pendingDigest = pendingDigest.clone();
  }

  /** A signature on {@code voteDigest} still to be made, with the others of its step. */
  static VoteSignature pending(byte[] voteDigest) {
    return new VoteSignature(voteDigest);
  }

  boolean isPending() {
    return pendingDigest != null && resolved == null;
  }

  byte[] pendingDigest() {
    return pendingDigest.clone();
  }

  void resolve(VoteSignature made) {
    if (pendingDigest == null || resolved != null || made.pendingDigest != null) {
      throw new IllegalStateException("only a pending signature is made, and only once");
    }
    resolved = made;
  }

  private VoteSignature made() {
    if (pendingDigest == null) {
      return this;
    }
    if (resolved == null) {
      throw new IllegalStateException("a vote signature was read before its step's output was handed out");
    }
    return resolved;
  }

  public String certificate() {
    return made().certificate;
  }

  public String signature() {
    return made().signature;
  }

  public String digest() {
    return made().digest;
  }

  public String path() {
    return made().path;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof VoteSignature v && !isPending() && !v.isPending() && certificate().equals(v.certificate())
        && signature().equals(v.signature()) && digest().equals(v.digest()) && path().equals(v.path());
  }

  @Override
  public int hashCode() {
    return isPending() ? java.util.Arrays.hashCode(pendingDigest) : Objects.hash(certificate(), signature(), digest(), path());
  }

  @Override
  public String toString() {
    return isPending() ? "VoteSignature[pending]" : "VoteSignature[certificate=" + abbreviated(certificate())
        + ", signature=" + abbreviated(signature()) + ", path=" + path().length() + " chars]";
  }

  private static String abbreviated(String s) {
    return s.length() <= 16 ? s : s.substring(0, 16) + "…";
  }
}
