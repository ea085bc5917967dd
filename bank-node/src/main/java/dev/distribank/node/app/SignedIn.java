package dev.distribank.node.app;

import dev.distribank.node.core.ledger.Customer;
import java.time.Instant;

/** A session: the bearer token (never stored), when it expires, and whose it is. */
public record SignedIn(String token, Instant expiresAt, Customer customer) {}
