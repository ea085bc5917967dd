package dev.distribank.node.core.order;

/** What a simulated run did; equal for two runs of one seed. */
record SimulationSummary(int banks, long steps, int requests, int transactions, int audits, long delivered,
    long duplicated, long lost, int crashes, int balancesDigest, boolean faultInjected) {}
