package dev.distribank.node.core.order;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the ordering core changed since the last durable write, beside the ledger's own {@code Changes}: votes and
 * coordinations to store or forget, decided requests, operation-log lines.
 */
public final class ProtocolChanges {
  private final Map<String, Optional<PendingVote>> votes = new LinkedHashMap<>();
  private final Map<String, Optional<Coordination>> coordinations = new LinkedHashMap<>();
  private final List<RequestRecord> requests = new ArrayList<>();
  private final List<Operation> operations = new ArrayList<>();
  private final Map<String, String> votedRequests = new LinkedHashMap<>();
  private final List<Message.Decide> settled = new ArrayList<>();
  private final List<SettledByPeer> settledByPeers = new ArrayList<>();

  /**
   * A YES vote this bank was in doubt about, settled with the word of {@code peer}, another participant, while the
   * coordinator was away (cooperative termination): committed, or aborted.
   */
  public record SettledByPeer(String transactionId, String peer, boolean committed) {}

  void vote(String transactionId, PendingVote vote) {
    votes.put(transactionId, Optional.ofNullable(vote));
  }

  void coordination(String transactionId, Coordination coordination) {
    coordinations.put(transactionId, Optional.ofNullable(coordination));
  }

  void request(RequestRecord record) {
    requests.add(record);
  }

  void operation(Operation operation) {
    operations.add(operation);
  }

  void votedRequest(String key, String transactionId) {
    votedRequests.put(key, transactionId);
  }

  void settledByPeer(SettledByPeer s) {
    settledByPeers.add(s);
  }

  /** The in-doubt votes settled with another participant's word in this step: for the log and the metrics. */
  public List<SettledByPeer> settledByPeers() {
    return settledByPeers;
  }

  void settled(Message.Decide commit) {
    settled.add(commit);
  }

  /**
   * COMMITs adopted here, with the signed votes that proved them, kept for other participants that may consult this
   * bank about them while their coordinator is away; never deleted, like the operation log.
   */
  public List<Message.Decide> settled() {
    return settled;
  }

  /** {@code account_number/request_id} → the transaction a YES vote debiting that account was cast for. */
  public Map<String, String> votedRequests() {
    return votedRequests;
  }

  /** Transaction id → the vote to store, or empty to delete it. */
  public Map<String, Optional<PendingVote>> votes() {
    return votes;
  }

  /** Transaction id → the coordination to store (in its state at write time), or empty to delete it. */
  public Map<String, Optional<Coordination>> coordinations() {
    return coordinations;
  }

  public List<RequestRecord> requests() {
    return requests;
  }

  public List<Operation> operations() {
    return operations;
  }
}
