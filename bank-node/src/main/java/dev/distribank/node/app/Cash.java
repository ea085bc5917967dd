package dev.distribank.node.app;

import dev.distribank.node.core.ledger.AccountId;

/** A deposit into, or a withdrawal from, one account: a one-leg transaction. {@code requestId} is "" for none. */
public record Cash(AccountId account, long amountCents, String requestId) {}
