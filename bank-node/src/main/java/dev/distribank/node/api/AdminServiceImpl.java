package dev.distribank.node.api;

import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.peer.PeerClients;
import dev.distribank.node.store.Store;
import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusResponse;
import dev.distribank.proto.bank.v1.ListCustomersRequest;
import dev.distribank.proto.bank.v1.ListCustomersResponse;
import dev.distribank.proto.bank.v1.ListOperationsRequest;
import dev.distribank.proto.bank.v1.ListOperationsResponse;
import dev.distribank.proto.bank.v1.OperationStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.rocksdb.RocksDBException;

/** AdminService: operator reads, behind the node's admin token. */
public final class AdminServiceImpl extends AdminServiceGrpc.AdminServiceImplBase {
  private final EventLoop loop;
  private final byte[] adminToken;
  private final Auditor auditor;
  private final ClusterView cluster;

  public AdminServiceImpl(EventLoop loop, String adminToken, PeerClients peers, ClusterView cluster) {
    this.loop = loop;
    this.cluster = cluster;
    this.auditor = new Auditor(loop, peers, cluster.banks());
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** Call on the gRPC thread: the token lives in the call's Context, which the loop thread does not see. */
  private void checkAdmin(String token) {
    byte[] given = token.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(adminToken, given)) {
      throw Rejection.of(Reason.UNAUTHENTICATED, "", "AdminService needs 'authorization: Bearer <admin token>', "
          + "the token the node was started with").toException();
    }
  }

  @Override
  public void listCustomers(ListCustomersRequest req,
      io.grpc.stub.StreamObserver<ListCustomersResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> {
      checkAdmin(token);
      int size = Statements.pageSize(req.getPageSize(), 100);
      List<Customer> page = s.bank().customers(req.getPageToken(), size);
      var r = ListCustomersResponse.newBuilder();
      page.forEach(c -> r.addCustomers(ApiProtos.toProto(c, s.bank().id())));
      if (page.size() == size) {
        r.setNextPageToken(page.get(size - 1).login());
      }
      return r.build();
    }), r -> r, out);
  }

  @Override
  public void listOperations(ListOperationsRequest req,
      io.grpc.stub.StreamObserver<ListOperationsResponse> out) {
    String token = Caller.token();
    Replies.answer(loop.call(s -> {
      checkAdmin(token);
      int size = Statements.pageSize(req.getPageSize(), 100);
      long before = Statements.position(req.getPageToken(), Long.MAX_VALUE);
      List<Store.LoggedOperation> page;
      try {
        page = s.store().operations(before, size);
      } catch (RocksDBException e) {
        throw new IllegalStateException("reading the operation log failed: " + e.getMessage(), e);
      }
      var r = ListOperationsResponse.newBuilder();
      page.forEach(o -> r.addOperations(toProto(o.operation())));
      if (page.size() == size && page.get(size - 1).sequence() > 1) {
        r.setNextPageToken(Long.toString(page.get(size - 1).sequence()));
      }
      return r.build();
    }), r -> r, out);
  }

  @Override
  public void audit(AuditRequest req, io.grpc.stub.StreamObserver<AuditResponse> out) {
    String token = Caller.token();
    Replies.answer(CompletableFuture.runAsync(() -> checkAdmin(token)).thenCompose(ok -> auditor.audit()), r -> r,
        out);
  }

  @Override
  public void getClusterStatus(GetClusterStatusRequest req,
      io.grpc.stub.StreamObserver<GetClusterStatusResponse> out) {
    String token = Caller.token();
    Replies.answer(CompletableFuture.supplyAsync(() -> {
      checkAdmin(token);
      return cluster.status();
    }), r -> r, out);
  }

  private static dev.distribank.proto.bank.v1.Operation toProto(Operation o) {
    var b = dev.distribank.proto.bank.v1.Operation.newBuilder().setTransactionId(o.transactionId())
        .setStatus(o.committed() ? OperationStatus.OPERATION_STATUS_COMMITTED : OperationStatus.OPERATION_STATUS_ABORTED)
        .addAllLegs(TypeProtos.toProto(o.legs())).setRequestId(o.requestId()).setPrincipal(o.principal());
    if (o.stamp() != null) {
      b.setTimestamp(TypeProtos.toProto(o.stamp()));
    }
    if (o.refusal() != null) {
      b.setReason(o.refusal().reason().name())
          .setFailedLeg(Math.max(0, o.refusal().failedLeg()));
    }
    return b.build();
  }
}
