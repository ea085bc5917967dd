package dev.distribank.node.metrics;

import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.ProtocolChanges;
import java.util.List;

/**
 * What the event loop and its writer tell the metrics: the batches they run and make durable, and the transactions
 * that finish here. Called on the loop's and the writer's threads, so an implementation must be quick and must not
 * block. {@link #NONE} (the default) does nothing: tests and a node without metrics need nothing else.
 */
public interface LoopEvents {
  LoopEvents NONE = new LoopEvents() {};

  /** The loop ran a batch of {@code tasks} tasks; its write goes to the writer next (loop thread). */
  default void batchRun(int tasks) {}

  /**
   * The writer made the next {@code batches} batches durable, in {@code nanos}; {@code synced} is false when none of
   * them had anything to write (then no fsync happened). Writer thread.
   */
  default void written(int batches, boolean synced, long nanos) {}

  /** The transactions that finished here in the batch just run, as its operation-log lines (loop thread). */
  default void finished(List<Operation> operations) {}

  /** In-doubt votes the batch just run settled with another participant's word (cooperative termination). */
  default void settledByPeers(List<ProtocolChanges.SettledByPeer> settled) {}
}
