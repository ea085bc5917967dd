package dev.distribank.node.metrics;

/**
 * What waits inside a bank, read on its event loop in one go, for the gauges: YES votes waiting for a decision and
 * the oldest one's age, the ordered delivery queue and how long its head has waited, the Lamport clock, the consents
 * in force.
 *
 * @param inDoubtVotes YES votes here still waiting for their coordinator's decision
 * @param oldestInDoubtMillis how long the oldest of them has waited; 0 when there is none
 * @param queueDepth operations in the delivery queue (decided or not, waiting to be applied in timestamp order)
 * @param headWaitMillis how long the head of that queue has waited; 0 when it is empty
 * @param lamportClock the bank's Lamport clock
 * @param consents consents in force: neither revoked, replaced nor expired
 */
public record Backlog(int inDoubtVotes, long oldestInDoubtMillis, int queueDepth, long headWaitMillis,
    long lamportClock, int consents) {}
