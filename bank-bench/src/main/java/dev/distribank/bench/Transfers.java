package dev.distribank.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts transfers, so a benchmark of a batch reports the time per transfer (its {@code :transfers} row) beside the
 * time per batch. Every batch benchmark adds its batch's size once per call.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Transfers {
  public long transfers;

  @Setup(Level.Iteration)
  public void reset() {
    transfers = 0;
  }
}
