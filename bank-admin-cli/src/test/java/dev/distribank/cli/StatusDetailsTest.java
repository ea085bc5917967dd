package dev.distribank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a failed call's details are read: the reason and metadata, the field at fault, and details that do not parse. */
class StatusDetailsTest {
  private static StatusRuntimeException refusal(Any... details) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("bad cpf").addAllDetails(List.of(details)).build());
  }

  @Test
  void errorInfoAndBadRequest_read() {
    var info = ErrorInfo.newBuilder().setReason("INVALID_CPF").setDomain("distribank.dev").putMetadata("cpf", "1")
        .build();
    var field = BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("cpf"))
        .build();
    StatusDetails d = StatusDetails.of(refusal(Any.pack(info), Any.pack(field)));
    assertEquals(Status.Code.INVALID_ARGUMENT, d.status().getCode());
    assertEquals("INVALID_CPF", d.reason());
    assertEquals(Map.of("cpf", "1"), d.errorInfo().getMetadataMap());
    assertEquals("cpf", d.badRequest().getFieldViolations(0).getField());
    assertEquals(List.of(), d.unreadable());
  }

  @Test
  void malformedErrorInfo_namedUnreadable_theNextOneRead() {
    Any broken = Any.newBuilder().setTypeUrl("type.googleapis.com/google.rpc.ErrorInfo")
        .setValue(ByteString.copyFrom(new byte[] {(byte) 0xff})).build();
    StatusDetails d = StatusDetails.of(refusal(broken, Any.pack(ErrorInfo.newBuilder().setReason("LATER").build())));
    assertEquals("LATER", d.reason());
    assertEquals(List.of("type.googleapis.com/google.rpc.ErrorInfo"), d.unreadable());
  }

  @Test
  void statusMessage_ofARefusedTransactionInABatch_readAsAFailedCallIs() {
    var info = ErrorInfo.newBuilder().setReason("INSUFFICIENT_FUNDS").putMetadata("leg", "0").build();
    var field = BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
        .setField("transactions[3].legs[0].amount_cents")).build();
    var status = com.google.rpc.Status.newBuilder().setCode(Code.FAILED_PRECONDITION_VALUE).setMessage("no funds")
        .addDetails(Any.pack(info)).addDetails(Any.pack(field)).build();

    StatusDetails d = StatusDetails.of(status);

    assertEquals(Status.Code.FAILED_PRECONDITION, d.status().getCode());
    assertEquals("no funds", d.status().getDescription());
    assertEquals("INSUFFICIENT_FUNDS", d.reason());
    assertEquals("transactions[3].legs[0].amount_cents", d.badRequest().getFieldViolations(0).getField());
  }

  @Test
  void noDetails_noReason() {
    StatusDetails d = StatusDetails.of(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());
    assertEquals(Status.Code.UNAVAILABLE, d.status().getCode());
    assertEquals("", d.reason());
    assertEquals(0, d.badRequest().getFieldViolationsCount());
  }
}
