package dev.distribank.node.app;

import dev.distribank.node.core.ledger.Leg;
import java.util.List;

/** A transaction of 1..{@value Leg#MAX_LEGS} checked legs, all or none applied. {@code requestId} is "" for none. */
public record Transfer(List<Leg> legs, String requestId) {
  public Transfer {
    legs = List.copyOf(legs);
  }
}
