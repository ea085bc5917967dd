package dev.distribank.node.api;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UTF-8 bytes of texts that recur in many messages, encoded once. Protobuf encodes a {@code String} field again at
 * every serialisation (twice: once to size it, once to write it), and some texts are on every vote: a bank's
 * certificate (about 1 KB), and a batch's one signature over its Merkle root. Set them with {@code setXxxBytes}.
 */
public final class RecurringText {
  /** Past this many texts the cache starts over: the recurring ones come straight back. */
  private static final int LIMIT = 256;
  private final Map<String, ByteString> bytes = new ConcurrentHashMap<>();

  public ByteString of(String text) {
    ByteString b = bytes.get(text);
    if (b == null) {
      if (bytes.size() >= LIMIT) {
        bytes.clear();
      }
      b = ByteString.copyFromUtf8(text);
      bytes.put(text, b);
    }
    return b;
  }
}
