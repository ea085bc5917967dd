package dev.distribank.node.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import dev.distribank.node.store.Store.Family;
import dev.distribank.proto.store.v1.CertificateRecord;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.RocksDBException;

/**
 * The certificates that stored vote signatures name by SHA-256 (family {@code CERTIFICATES}). A bank signs every vote
 * with the same certificate, about 1 KB of text that each coordination record would otherwise carry once per vote and
 * again at every write of it; now each is stored once.
 *
 * <p>Writes are prepared on the event loop's thread and made durable on the writer's: a certificate is put again in
 * every write prepared until one holding it is durable, so no durable signature names a certificate the store lacks.
 */
final class Certificates {
  private final Map<String, ByteString> idByText = new ConcurrentHashMap<>();
  private final Map<ByteString, String> textById = new ConcurrentHashMap<>();
  private final Set<ByteString> durable = ConcurrentHashMap.newKeySet();

  /** The certificates stored under {@code store}. */
  static Certificates load(Store store) throws RocksDBException {
    var certificates = new Certificates();
    store.forEach(Family.CERTIFICATES, (key, value) -> {
      ByteString id = ByteString.copyFrom(key);
      String text = Store.parse(CertificateRecord.parser(), value).getCertificate();
      certificates.idByText.put(text, id);
      certificates.textById.put(id, text);
      certificates.durable.add(id);
    });
    return certificates;
  }

  /** The id {@code certificate} is stored under, putting it into {@code batch} unless a durable write holds it. */
  ByteString reference(String certificate, Batch batch) {
    ByteString id = idByText.computeIfAbsent(certificate,
        text -> ByteString.copyFrom(Hashing.sha256().hashString(text, UTF_8).asBytes()));
    if (!durable.contains(id)) {
      textById.putIfAbsent(id, certificate);
      batch.certificate(id, certificate);
    }
    return id;
  }

  /** The certificate stored under {@code id}; a store that names one it does not hold is damaged. */
  String text(ByteString id) throws RocksDBException {
    String text = textById.get(id);
    if (text == null) {
      throw new RocksDBException("the store names a vote certificate it does not hold (sha256 "
          + java.util.HexFormat.of().formatHex(id.toByteArray()) + "): the data directory is damaged");
    }
    return text;
  }

  /** Called once a write that put {@code ids} is durable. */
  void madeDurable(Collection<ByteString> ids) {
    durable.addAll(ids);
  }
}
