package dev.distribank.node.app;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Principal;

/**
 * A holder's grant: {@code grantee}, a customer of another bank, may debit {@code account}; limits of 0 mean none,
 * {@code expiresAtMillis} 0 means never. Limits and expiry are checked against the bank's state when it is granted.
 */
public record ConsentGrant(AccountId account, Principal grantee, long limitPerTransactionCents,
    long totalLimitCents, long expiresAtMillis) {}
