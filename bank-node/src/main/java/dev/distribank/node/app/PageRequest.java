package dev.distribank.node.app;

/**
 * Which page a paged read asks for (AIP-158), as the client sent it: {@code size} 0 for the call's default,
 * {@code token} "" for the first page or a {@link Page#nextPageToken} the same call returned. Checked by the call,
 * after the caller and what it reads: size first, then token.
 */
public record PageRequest(int size, String token) {}
