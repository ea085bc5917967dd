package dev.distribank.node.peer;

import dev.distribank.node.core.order.Envelope;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.store.ProtocolRecords;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.store.v1.AppliedRecord;

/** Protocol messages to and from their wire form. */
final class PeerMessages {
  private PeerMessages() {}

  static PeerMessage toProto(Message m) {
    var b = PeerMessage.newBuilder();
    switch (m) {
      case Message.Propose p -> b.setPropose(ProtocolRecords.toRecord(p));
      case Message.Ack a -> b.setAck(ProtocolRecords.toRecord(a));
      case Message.Decide d -> b.setDecide(ProtocolRecords.toRecord(d));
      case Message.Applied a -> b.setApplied(ProtocolRecords.toRecord(a));
      case Message.Inquire q -> b.setInquire(AppliedRecord.newBuilder().setTransactionId(q.transactionId())
          .setFromBank(q.from()));
    }
    return b.build();
  }

  static Envelope fromProto(String from, String to, PeerMessage m) {
    Message message = switch (m.getBodyCase()) {
      case PROPOSE -> ProtocolRecords.fromRecord(m.getPropose());
      case ACK -> ProtocolRecords.fromRecord(m.getAck());
      case DECIDE -> ProtocolRecords.fromRecord(m.getDecide());
      case APPLIED -> ProtocolRecords.fromRecord(m.getApplied());
      case INQUIRE -> new Message.Inquire(m.getInquire().getTransactionId(), m.getInquire().getFromBank());
      case BODY_NOT_SET -> throw new IllegalArgumentException("empty peer message from " + from);
    };
    return new Envelope(from, to, message);
  }
}
