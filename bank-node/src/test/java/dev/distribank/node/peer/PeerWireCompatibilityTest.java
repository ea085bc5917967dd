package dev.distribank.node.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.distribank.node.core.order.Envelope;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.PeerMessage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade: bank.peer.v1's own messages took the place of the bank.store.v1 records PeerMessage carried up to
 * commit 39c6e8b, and a bank running either version must understand the other. Pinned on the bytes 39c6e8b wrote for
 * {@link PeerWireSamples} (an ExchangeRequest from alpha with one message of each kind, setting every field): this
 * code reads them as the same messages, every field intact, and writes the same messages as exactly those bytes plus
 * only fields added since (which the older bank skips), so the older bank reads what this one writes as its own.
 */
class PeerWireCompatibilityTest {
  /** {@code ExchangeRequest} bytes written by {@code PeerMessages.toProto} at commit 39c6e8b, base64. */
  private static final String WRITTEN_BY_39C6E8B = """
      CgVhbHBoYRJ3CnUKB2FscGhhLTcSBWFscGhhGg0KBWFscGhhEgRjYWlvIiwIARIKYWxwaGE6MTAw
      MRoZYmV0YTpwaXg6Y2Fpb0BleGFtcGxlLmNvbSDEEyIRCAMSCmFscGhhOjEwMDIgvAUqBWFscGhh
      KgRiZXRhMgZyZXEtNDISWhJYCgdhbHBoYS03EgRiZXRhGggIDBIEYmV0YSoNCAASCWJldGE6MjAw
      MTIuCgxZMlZ5ZEMxaVpYUmgSDGMybG5MV0psZEdFPRoQWkdsblpYTjBMV0psZEdFPRJfEl0KB2Fs
      cGhhLTgSBGJldGEiTAoSSU5TVUZGSUNJRU5UX0ZVTkRTEhRsZWdzWzFdLmFtb3VudF9jZW50cxoW
      YWxwaGE6MTAwMiBoYXMgUiQgMSwwMCIICgNsZWcSATESTxpNCgdhbHBoYS03EAEaCAgNEgRiZXRh
      KjYKBGJldGESLgoMWTJWeWRDMWlaWFJoEgxjMmxuTFdKbGRHRT0aEFpHbG5aWE4wTFdKbGRHRT0S
      WRpXCgdhbHBoYS04IkwKEklOU1VGRklDSUVOVF9GVU5EUxIUbGVnc1sxXS5hbW91bnRfY2VudHMa
      FmFscGhhOjEwMDIgaGFzIFIkIDEsMDAiCAoDbGVnEgExEhEiDwoHYWxwaGEtNxIEYmV0YRIRKg8K
      B2FscGhhLTkSBGJldGE=
      """;

  private static byte[] old() {
    return Base64.getMimeDecoder().decode(WRITTEN_BY_39C6E8B);
  }

  @Test
  void parse_pinnedBytes_sameMessagesWithEveryFieldIntact() throws Exception {
    var batch = ExchangeRequest.parseFrom(old());

    assertEquals(PeerWireSamples.FROM_BANK, batch.getFromBank());
    var messages = new ArrayList<dev.distribank.node.core.order.Message>();
    for (PeerMessage m : batch.getMessagesList()) {
      Envelope e = PeerProtos.fromProto(PeerWireSamples.FROM_BANK, "beta", m);
      assertEquals(PeerWireSamples.FROM_BANK, e.from());
      messages.add(e.message());
    }
    assertEquals(PeerWireSamples.messages(), messages);
    assertEquals(List.of(), unknownFields(batch, "ExchangeRequest"), "fields the schema does not know");
  }

  @Test
  void write_sameMessages_exactlyThePinnedBytes_plusOnlyFieldsAddedSince() {
    var batch = ExchangeRequest.newBuilder().setFromBank(PeerWireSamples.FROM_BANK);
    PeerWireSamples.messages().forEach(m -> batch.addMessages(PeerProtos.toProto(m)));

    // An older bank skips the fields it does not know; what it keeps must be exactly what it writes itself.
    assertArrayEquals(old(), withoutFieldsAddedSince39c6e8b(batch.build()).toByteArray());
  }

  /** Fields added to the peer schema after 39c6e8b, which that version skips as unknown. */
  private static final Set<String> ADDED_SINCE =
      Set.of("bank.peer.v1.Refusal.failed_leg", "bank.peer.v1.VoteSignature.path");

  private static Message withoutFieldsAddedSince39c6e8b(Message m) {
    Message.Builder b = m.toBuilder();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      if (ADDED_SINCE.contains(f.getFullName())) {
        b.clearField(f);
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
        if (f.isRepeated()) {
          for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
            b.setRepeatedField(f, i, withoutFieldsAddedSince39c6e8b((Message) m.getRepeatedField(f, i)));
          }
        } else if (m.hasField(f)) {
          b.setField(f, withoutFieldsAddedSince39c6e8b((Message) m.getField(f)));
        }
      }
    }
    return b.build();
  }

  /**
   * Messages added since: cooperative termination's consultation and its answer. An older bank reads either as a
   * PeerMessage with no body it knows and drops it, so the one asking gets no answer and waits for the coordinator,
   * as it did before.
   */
  private static final Set<String> MESSAGES_ADDED_SINCE = Set.of("bank.peer.v1.PeerMessage.consult",
      "bank.peer.v1.PeerMessage.known", "bank.peer.v1.Consultation.transaction_id",
      "bank.peer.v1.Consultation.from_bank", "bank.peer.v1.Verdict.transaction_id", "bank.peer.v1.Verdict.from_bank",
      "bank.peer.v1.Verdict.decision");

  private static List<dev.distribank.node.core.order.Message> addedSince() {
    var commit = PeerWireSamples.messages().stream()
        .filter(m -> m instanceof dev.distribank.node.core.order.Message.Decide d && d.commit())
        .map(m -> (dev.distribank.node.core.order.Message.Decide) m).findFirst().orElseThrow();
    return List.of(new dev.distribank.node.core.order.Message.Consult("alpha-7", "alpha"),
        new dev.distribank.node.core.order.Message.Known("alpha-7", "alpha", commit),
        new dev.distribank.node.core.order.Message.Known("alpha-7", "alpha", null));
  }

  /**
   * The batch bodies and the flag that says a bank reads them. An older bank never sets the flag, so it is sent no
   * body; one that got a body anyway would see none it knows and drop it, and the protocol would re-send.
   */
  private static final Set<String> BATCHES_ADDED_SINCE = Set.of("bank.peer.v1.ExchangeRequest.reads_batches",
      "bank.peer.v1.PeerMessage.propose_batch", "bank.peer.v1.PeerMessage.ack_batch",
      "bank.peer.v1.PeerMessage.decide_batch", "bank.peer.v1.PeerMessage.applied_batch",
      "bank.peer.v1.ProposalBatch.proposals", "bank.peer.v1.AckBatch.certificate", "bank.peer.v1.AckBatch.votes",
      "bank.peer.v1.DecisionBatch.certificates", "bank.peer.v1.DecisionBatch.CertificatesEntry.key",
      "bank.peer.v1.DecisionBatch.CertificatesEntry.value", "bank.peer.v1.DecisionBatch.decisions",
      "bank.peer.v1.AppliedBatch.transaction_ids");

  @Test
  void batchBodies_anOlderBankSeesNoBodyItKnows() {
    for (PeerMessage wire : PeerBatches.encode("alpha", PeerWireSamples.fromAlphaInRuns())) {
      var older = PeerMessage.newBuilder().mergeFrom(wire).clearProposeBatch().clearAckBatch().clearDecideBatch()
          .clearAppliedBatch().build();
      assertTrue(older.getBodyCase() == PeerMessage.BodyCase.BODY_NOT_SET
          || older.getBodyCase() == PeerMessage.BodyCase.INQUIRE, wire.toString());
    }
  }

  @Test
  void messagesAddedSince_roundTrip_andAnOlderBankSeesNoBodyItKnows() throws Exception {
    for (var m : addedSince()) {
      PeerMessage wire = PeerProtos.toProto(m);
      assertEquals(m, PeerProtos.fromProto("alpha", "beta", wire).message());
      // What a bank of 39c6e8b's schema makes of it: a PeerMessage whose body is only unknown fields.
      var older = PeerMessage.newBuilder().mergeFrom(wire).clearConsult().clearKnown().build();
      assertEquals(PeerMessage.BodyCase.BODY_NOT_SET, older.getBodyCase(), m.toString());
    }
  }

  /** Else the two tests above would let a field through that nothing sets. */
  @Test
  void sample_setsEveryFieldOfEveryPeerMessage() throws Exception {
    var set = new TreeSet<String>();
    collectSet(ExchangeRequest.parseFrom(old()), set);
    var batch = ExchangeRequest.newBuilder().setFromBank(PeerWireSamples.FROM_BANK);
    PeerWireSamples.messages().forEach(m -> batch.addMessages(PeerProtos.toProto(m)));
    batch.addMessages(PeerProtos.toProto(PeerWireSamples.batchSignedVote()));
    addedSince().forEach(m -> batch.addMessages(PeerProtos.toProto(m)));
    batch.setReadsBatches(true).addAllMessages(PeerBatches.encode("alpha", PeerWireSamples.fromAlphaInRuns()));
    var written = new TreeSet<String>();
    collectSet(batch.build(), written);
    assertTrue(written.containsAll(ADDED_SINCE), "the sample sets the fields added since: " + written);
    assertTrue(written.containsAll(MESSAGES_ADDED_SINCE), "the sample sets the messages added since: " + written);
    set.addAll(ADDED_SINCE);
    set.addAll(MESSAGES_ADDED_SINCE);
    assertTrue(written.containsAll(BATCHES_ADDED_SINCE), "the sample sets the batch bodies: " + written);
    set.addAll(BATCHES_ADDED_SINCE);

    var all = new TreeSet<String>();
    collectAll(ExchangeRequest.getDescriptor(), all, new TreeSet<>());
    all.removeAll(set);
    assertEquals(Set.of(), all, "fields the sample leaves unset");
  }

  private static List<String> unknownFields(Message m, String path) {
    var out = new ArrayList<String>();
    if (!m.getUnknownFields().asMap().isEmpty()) {
      out.add(path + " " + m.getUnknownFields().asMap().keySet());
    }
    m.getAllFields().forEach((field, value) -> {
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        for (Object v : field.isRepeated() ? (List<?>) value : List.of(value)) {
          out.addAll(unknownFields((Message) v, path + "." + field.getName()));
        }
      }
    });
    return out;
  }

  private static void collectSet(Message m, Set<String> out) {
    m.getAllFields().forEach((field, value) -> {
      out.add(field.getFullName());
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        for (Object v : field.isRepeated() ? (List<?>) value : List.of(value)) {
          collectSet((Message) v, out);
        }
      }
    });
  }

  private static void collectAll(Descriptor type, Set<String> out, Set<String> seen) {
    if (!seen.add(type.getFullName())) {
      return;
    }
    for (FieldDescriptor field : type.getFields()) {
      out.add(field.getFullName());
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        collectAll(field.getMessageType(), out, seen);
      }
    }
  }
}
