package dev.distribank.node.core.order;

import com.google.common.hash.Hashing;
import com.google.common.primitives.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One signature for many YES votes. The signer signs the root of a Merkle tree whose leaves are the votes' digests;
 * each vote then carries the path from its digest to the root — the sibling hash at each level and which side it is
 * on — so a receiver checks a vote with a few SHA-256s and one signature check per batch, which it remembers.
 *
 * <p>Leaves are {@code SHA-256(0x00 ‖ digest)} and inner nodes {@code SHA-256(0x01 ‖ left ‖ right)}, so no leaf can
 * pass for an inner node; a node without a sibling moves up a level unchanged. A batch of one is signed over the
 * vote's digest itself, with an empty path, as a single vote always was.
 */
public final class VoteBatch {
  private static final int HASH = 32;
  private static final int STEP = HASH + 1;
  /** A path longer than this would cover more votes than any step makes (2^40): refused unread. */
  private static final int MAX_LEVELS = 40;

  private VoteBatch() {}

  /** Signs every digest of {@code digests} with one signature from {@code signer}; in their order. */
  public static List<VoteSignature> sign(VoteSigner signer, List<byte[]> digests) {
    if (digests.size() == 1) {
      return List.of(orNone(signer.sign(digests.get(0))));
    }
    List<List<byte[]>> levels = new ArrayList<>();
    List<byte[]> level = digests.stream().map(VoteBatch::leaf).toList();
    levels.add(level);
    while (level.size() > 1) {
      var up = new ArrayList<byte[]>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        up.add(i + 1 < level.size() ? node(level.get(i), level.get(i + 1)) : level.get(i));
      }
      levels.add(up);
      level = up;
    }
    VoteSignature root = orNone(signer.sign(level.get(0)));
    var out = new ArrayList<VoteSignature>(digests.size());
    for (int i = 0; i < digests.size(); i++) {
      out.add(new VoteSignature(root.certificate(), root.signature(), root.digest(), path(levels, i)));
    }
    return out;
  }

  /** Whether {@code vote} is bank {@code bank}'s valid signature on the vote digest {@code voteDigest}. */
  public static boolean verify(VoteSigner signer, String bank, byte[] voteDigest, VoteSignature vote) {
    if (vote == null) {
      return false;
    }
    byte[] signed = signedOver(voteDigest, vote.path());
    return signed != null && signer.verify(bank, signed, vote);
  }

  /**
   * What a vote's signature must be checked over: {@code digest} itself for an empty path, else the root the path
   * leads to from it; null for a path that is not one (bad base64, a bad side byte, a wrong length).
   */
  public static byte[] signedOver(byte[] digest, String path) {
    if (path.isEmpty()) {
      return digest;
    }
    byte[] steps;
    try {
      steps = Base64.getDecoder().decode(path);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    if (steps.length % STEP != 0 || steps.length / STEP > MAX_LEVELS) {
      return null;
    }
    byte[] hash = leaf(digest);
    for (int at = 0; at < steps.length; at += STEP) {
      byte[] sibling = Arrays.copyOfRange(steps, at + 1, at + STEP);
      switch (steps[at]) {
        case 0 -> hash = node(sibling, hash);
        case 1 -> hash = node(hash, sibling);
        default -> {
          return null;
        }
      }
    }
    return hash;
  }

  private static String path(List<List<byte[]>> levels, int index) {
    var steps = new ArrayList<byte[]>();
    for (int l = 0; l < levels.size() - 1; l++) {
      List<byte[]> level = levels.get(l);
      int sibling = index ^ 1;
      if (sibling < level.size()) {
        steps.add(new byte[] {(byte) (sibling < index ? 0 : 1)});
        steps.add(level.get(sibling));
      }
      index /= 2;
    }
    return Base64.getEncoder().encodeToString(Bytes.concat(steps.toArray(byte[][]::new)));
  }

  private static byte[] leaf(byte[] digest) {
    return Hashing.sha256().newHasher().putByte((byte) 0).putBytes(digest).hash().asBytes();
  }

  private static byte[] node(byte[] left, byte[] right) {
    return Hashing.sha256().newHasher().putByte((byte) 1).putBytes(left).putBytes(right).hash().asBytes();
  }

  private static VoteSignature orNone(VoteSignature made) {
    return made == null ? VoteSignature.NONE : made;
  }
}
