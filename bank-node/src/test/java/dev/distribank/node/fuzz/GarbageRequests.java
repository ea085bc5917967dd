package dev.distribank.node.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.WireFormat;
import dev.distribank.node.fuzz.Attempt.Caller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Bytes sent to a unary method that are not (or only by chance are) its request message: random bytes, truncated or
 * bit-flipped messages, a string field holding invalid UTF-8, varints longer than ten bytes, wrong and undefined wire
 * types, lengths past the end, field number 0, groups nested past protobuf's recursion limit, and the empty message.
 * Sent without a token or with a forged one, so that bytes that do parse are refused too: whether they parse is
 * decided by the generated parser ({@link Attempt#raw}).
 */
final class GarbageRequests {
  /** Ill-formed UTF-8: a stray byte, a bad continuation, an encoded surrogate, an overlong NUL, past U+10FFFF. */
  private static final byte[][] BAD_UTF8 = {
      {(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};

  private final List<String> words;

  /** Bytes for a method, and how they were made. */
  private record Garbage(String kind, byte[] body) {}

  /** {@code words}: strings the filled-in messages draw from (the victim's account ids, logins, keys). */
  GarbageRequests(List<String> words) {
    this.words = words;
  }

  Attempt next(Random r) {
    String method = RawCalls.UNARY.get(r.nextInt(RawCalls.UNARY.size()));
    Descriptor type = RawCalls.requestType(method);
    Caller caller = r.nextBoolean() ? Caller.NOBODY : Scenario.forged(r);
    String bank = r.nextBoolean() ? Scenario.ALPHA : Scenario.BETA;
    byte[] valid = filled(r, type, 0).toByteArray();
    Garbage g = switch (r.nextInt(14)) {
      case 0 -> new Garbage("empty", new byte[0]);
      case 1, 2 -> new Garbage("random", randomBytes(r, 1 + r.nextInt(r.nextInt(10) == 0 ? 4096 : 64)));
      case 3, 4 -> new Garbage("truncated", valid.length < 2 ? randomBytes(r, 3)
          : java.util.Arrays.copyOf(valid, 1 + r.nextInt(valid.length - 1)));
      case 5 -> new Garbage("flipped", flipped(r, valid));
      case 6, 7 -> new Garbage("bad-utf8", concat(valid, badUtf8(r, type)));
      case 8 -> new Garbage("huge-varint", concat(valid, hugeVarint(r, type)));
      case 9 -> new Garbage("wrong-wire-type", concat(valid, wrongWireType(r, type)));
      case 10 -> new Garbage("length-past-end", concat(valid, pastEnd(r, type)));
      case 11 -> new Garbage("field-zero", concat(valid, new byte[] {(byte) r.nextInt(6), 1, 2}));
      case 12 -> new Garbage("deep-groups", concat(valid, groups(r)));
      default -> new Garbage("valid-message", valid);
    };
    return Attempt.raw("garbage/" + g.kind(), bank, method, caller, g.body());
  }

  /**
   * A message of {@code type} with most fields set from {@link #words} and small numbers, nested up to three deep.
   * Never a request that could succeed: it goes without a valid token, and words holds no password or valid CPF.
   */
  DynamicMessage filled(Random r, Descriptor type, int depth) {
    var b = DynamicMessage.newBuilder(type);
    for (FieldDescriptor f : type.getFields()) {
      if (r.nextInt(4) == 0 || (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= 3)) {
        continue;
      }
      int count = f.isRepeated() ? 1 + r.nextInt(3) : 1;
      for (int i = 0; i < count; i++) {
        Object value = value(r, f, depth);
        if (f.isRepeated()) {
          b.addRepeatedField(f, value);
        } else {
          b.setField(f, value);
        }
      }
    }
    return b.build();
  }

  private Object value(Random r, FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case INT -> r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(100);
      case LONG -> r.nextInt(5) == 0 ? r.nextLong() : (long) r.nextInt(1_000_000);
      case BOOLEAN -> r.nextBoolean();
      case FLOAT -> r.nextFloat();
      case DOUBLE -> r.nextDouble();
      case STRING -> r.nextInt(6) == 0 ? new UUID(r.nextLong(), r.nextLong()).toString()
          : words.get(r.nextInt(words.size()));
      case BYTE_STRING -> ByteString.copyFrom(randomBytes(r, r.nextInt(16)));
      case ENUM -> {
        var values = f.getEnumType().getValues();
        yield values.get(r.nextInt(values.size()));
      }
      case MESSAGE -> filled(r, f.getMessageType(), depth + 1);
    };
  }

  /** A string field (top-level or one message down) whose bytes are not UTF-8; an unknown field if there is none. */
  private static byte[] badUtf8(Random r, Descriptor type) {
    byte[] bad = concat("alpha:".getBytes(java.nio.charset.StandardCharsets.UTF_8).clone(),
        BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
    List<FieldDescriptor> strings = fieldsOf(type, FieldDescriptor.JavaType.STRING);
    List<FieldDescriptor> messages = fieldsOf(type, FieldDescriptor.JavaType.MESSAGE).stream()
        .filter(m -> !fieldsOf(m.getMessageType(), FieldDescriptor.JavaType.STRING).isEmpty()).toList();
    if (!messages.isEmpty() && (strings.isEmpty() || r.nextBoolean())) {
      FieldDescriptor m = messages.get(r.nextInt(messages.size()));
      var inner = fieldsOf(m.getMessageType(), FieldDescriptor.JavaType.STRING);
      return lengthDelimited(m.getNumber(), lengthDelimited(inner.get(r.nextInt(inner.size())).getNumber(), bad));
    }
    int number = strings.isEmpty() ? 100 + r.nextInt(100) : strings.get(r.nextInt(strings.size())).getNumber();
    return lengthDelimited(number, bad);
  }

  /** A varint of eleven bytes (never valid), or of ten (valid: the widest). */
  private static byte[] hugeVarint(Random r, Descriptor type) {
    int bytes = r.nextBoolean() ? 11 : 10;
    var out = new byte[1 + bytes];
    out[0] = (byte) tag(anyField(r, type), WireFormat.WIRETYPE_VARINT);
    java.util.Arrays.fill(out, 1, bytes, (byte) 0xFF);
    out[bytes] = 0x01;
    return out;
  }

  /** A declared field under another wire type (read as unknown), or under the undefined wire types 6 and 7. */
  private static byte[] wrongWireType(Random r, Descriptor type) {
    int number = anyField(r, type);
    return switch (r.nextInt(5)) {
      case 0 -> new byte[] {(byte) tag(number, WireFormat.WIRETYPE_FIXED32), 1, 2, 3, 4};
      case 1 -> new byte[] {(byte) tag(number, WireFormat.WIRETYPE_FIXED64), 1, 2, 3, 4, 5, 6, 7, 8};
      case 2 -> new byte[] {(byte) tag(number, WireFormat.WIRETYPE_START_GROUP), 8, 1};
      case 3 -> new byte[] {(byte) tag(number, WireFormat.WIRETYPE_END_GROUP)};
      default -> new byte[] {(byte) ((number << 3) | (6 + r.nextInt(2))), 1};
    };
  }

  /** A length-delimited field whose length runs past the end (or is 2^32 - 1, or negative). */
  private static byte[] pastEnd(Random r, Descriptor type) {
    byte tag = (byte) tag(anyField(r, type), WireFormat.WIRETYPE_LENGTH_DELIMITED);
    return switch (r.nextInt(3)) {
      case 0 -> new byte[] {tag, 100, 'a', 'b'};
      case 1 -> new byte[] {tag, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
      default -> new byte[] {tag, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
          (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
    };
  }

  /** Unknown groups nested 1 to 200 deep (protobuf stops at 100), closed or left open. */
  private static byte[] groups(Random r) {
    int depth = 1 + r.nextInt(200);
    boolean closed = r.nextInt(3) != 0;
    var out = new byte[depth * (closed ? 2 : 1)];
    for (int i = 0; i < depth; i++) {
      out[i] = (byte) tag(15, WireFormat.WIRETYPE_START_GROUP);
      if (closed) {
        out[depth + i] = (byte) tag(15, WireFormat.WIRETYPE_END_GROUP);
      }
    }
    return out;
  }

  /** A declared field number (1..15, so its tag is one byte), or 15 when the message has none that low. */
  private static int anyField(Random r, Descriptor type) {
    var low = type.getFields().stream().filter(f -> f.getNumber() <= 15).toList();
    return low.isEmpty() ? 15 : low.get(r.nextInt(low.size())).getNumber();
  }

  /** A field's tag, as protobuf writes it: number, then wire type in the low three bits. */
  private static int tag(int number, int wireType) {
    return (number << 3) | wireType;
  }

  private static List<FieldDescriptor> fieldsOf(Descriptor type, FieldDescriptor.JavaType javaType) {
    return type.getFields().stream().filter(f -> f.getJavaType() == javaType).toList();
  }

  private static byte[] lengthDelimited(int number, byte[] payload) {
    var bytes = new ByteArrayOutputStream();
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(payload.length);
      out.writeRawBytes(payload);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] flipped(Random r, byte[] valid) {
    byte[] out = valid.length == 0 ? randomBytes(r, 4) : valid.clone();
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
    }
    return out;
  }

  private static byte[] randomBytes(Random r, int length) {
    var out = new byte[length];
    r.nextBytes(out);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    var out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
