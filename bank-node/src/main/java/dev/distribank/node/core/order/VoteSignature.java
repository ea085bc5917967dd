package dev.distribank.node.core.order;

/**
 * A bank's signature on its YES vote: what lets every other participant check, from the decision alone, that a
 * COMMIT is backed by each bank whose money it moves (a coordinator cannot forge another bank's consent to pay).
 *
 * @param certificate the signer's certificate, base64 DER (it names the bank; the consortium CA vouches for it)
 * @param signature the signature over {@link Votes#digest}, base64
 * @param digest the digest the signer says it signed, base64: lets a receiver check the signature before its event
 *     loop needs it; the loop recomputes the digest from its own copy of the proposal and never trusts this one
 */
public record VoteSignature(String certificate, String signature, String digest) {}
