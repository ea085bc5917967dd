package dev.distribank.node.peer;

import dev.distribank.node.order.Envelope;
import dev.distribank.node.order.Message;
import dev.distribank.node.wire.ProtocolProtos;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.store.v1.AppliedRecord;

/** Protocol messages to and from their wire form. */
final class PeerMessages {
  private PeerMessages() {}

  static PeerMessage toProto(Message m) {
    var b = PeerMessage.newBuilder();
    switch (m) {
      case Message.Propose p -> b.setPropose(ProtocolProtos.toRecord(p));
      case Message.Ack a -> b.setAck(ProtocolProtos.toRecord(a));
      case Message.Decide d -> b.setDecide(ProtocolProtos.toRecord(d));
      case Message.Applied a -> b.setApplied(ProtocolProtos.toRecord(a));
      case Message.Inquire q -> b.setInquire(AppliedRecord.newBuilder().setTransactionId(q.transactionId())
          .setFromBank(q.from()));
    }
    return b.build();
  }

  static Envelope fromProto(String from, String to, PeerMessage m) {
    Message message = switch (m.getBodyCase()) {
      case PROPOSE -> ProtocolProtos.fromRecord(m.getPropose());
      case ACK -> ProtocolProtos.fromRecord(m.getAck());
      case DECIDE -> ProtocolProtos.fromRecord(m.getDecide());
      case APPLIED -> ProtocolProtos.fromRecord(m.getApplied());
      case INQUIRE -> new Message.Inquire(m.getInquire().getTransactionId(), m.getInquire().getFromBank());
      case BODY_NOT_SET -> throw new IllegalArgumentException("empty peer message from " + from);
    };
    return new Envelope(from, to, message);
  }
}
