package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import java.util.List;

/**
 * A line of a bank's operation log: a transaction it took part in and how it ended. {@code stamp} is the final
 * timestamp of a committed transaction, null for an aborted one; {@code refusal} is null for a committed one.
 */
public record Operation(String transactionId, Stamp stamp, boolean committed, List<Leg> legs, Rejection refusal,
    String requestId, String principal) {}
