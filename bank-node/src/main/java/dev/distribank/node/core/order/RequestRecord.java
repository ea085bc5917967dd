package dev.distribank.node.core.order;

/**
 * The first outcome of a client {@code request_id} (AIP-155), kept durably so a retry, even after a restart, gets the
 * same answer and never applies twice. {@code fingerprint} tells a true retry from a reuse of the id for other legs.
 */
public record RequestRecord(String requestId, RequestFingerprint fingerprint, Outcome outcome) {}
