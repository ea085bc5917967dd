package dev.distribank.node.core.ledger;

/**
 * One line of an account's statement, written when a committed leg is applied.
 *
 * @param sequence the entry's position in the account's statement (1, 2, ...): application order, which is
 *     timestamp order
 * @param counterparty the other account, or "deposit" / "withdrawal"
 * @param amountCents positive for a credit, negative for a debit
 * @param balanceCents the balance right after this entry
 * @param initiator who asked for the transaction, {@code login@bank}
 * @param consentId the consent that authorised this debit, {@link Reservation#NO_CONSENT} when none did
 */
public record LedgerEntry(
    AccountId account,
    long sequence,
    String transactionId,
    Stamp stamp,
    String counterparty,
    long amountCents,
    long balanceCents,
    String initiator,
    long consentId) {}
