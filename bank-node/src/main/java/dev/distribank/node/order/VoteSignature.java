package dev.distribank.node.order;

/**
 * A bank's signature on its YES vote: what lets every other participant check, from the decision alone, that a
 * COMMIT is backed by each bank whose money it moves (a coordinator cannot forge another bank's consent to pay).
 *
 * @param certificate the signer's certificate, base64 DER (it names the bank; the consortium CA vouches for it)
 * @param signature the signature over {@link Votes#digest}, base64
 */
public record VoteSignature(String certificate, String signature) {}
