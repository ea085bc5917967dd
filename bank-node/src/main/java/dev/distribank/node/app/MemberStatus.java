package dev.distribank.node.app;

import java.time.Instant;

/**
 * One bank of the consortium as this bank sees it: where it is reached, whether its health checks pass (and since
 * when), whether the protocol link to it is up, and how many of its protocol messages this bank refused as faults.
 * For this bank itself, {@code self} is true and it is UP, linked, since the node started.
 */
public record MemberStatus(String bank, String address, boolean self, Health health, Instant since, boolean linked,
    long refusedMessages) {

  /** What the health checks say of a bank. */
  public enum Health { UNKNOWN, UP, DOWN }
}
