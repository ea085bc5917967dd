package dev.distribank.node.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.distribank.node.core.order.History;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.RequestRecord;
import dev.distribank.node.store.Store.Family;
import dev.distribank.proto.store.v1.DecisionRecord;
import java.util.Map;
import org.rocksdb.RocksDBException;

/** Point reads of finished transactions, kept COMMITs and decided requests, for the ordering core. */
final class StoredHistory implements History {
  private final Store store;

  StoredHistory(Store store) {
    this.store = store;
  }

  @Override
  public Boolean finished(String transactionId) {
    byte[] v = store.get(Family.TRANSACTIONS, transactionId);
    return v == null ? null : v[0] == 1;
  }

  @Override
  public Message.Decide settled(String transactionId) {
    byte[] v = store.get(Family.SETTLED, transactionId);
    if (v == null) {
      return null;
    }
    try {
      return ProtocolRecords.fromRecord(Store.parse(DecisionRecord.parser(), v), Map.of(),
          store.certificates()::text);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String votedRequest(String key) {
    byte[] v = store.get(Family.VOTED_REQUESTS, key);
    return v == null ? null : new String(v, UTF_8);
  }

  @Override
  public RequestRecord request(String requestId) {
    byte[] v = store.get(Family.REQUESTS, requestId);
    if (v == null) {
      return null;
    }
    try {
      return ProtocolRecords.fromRecord(Store.parse(dev.distribank.proto.store.v1.RequestRecord.parser(), v));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }
}
