package dev.distribank.node.api;

import dev.distribank.node.app.BankApplication;
import dev.distribank.node.app.PageRequest;
import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusResponse;
import dev.distribank.proto.bank.v1.ListCustomersRequest;
import dev.distribank.proto.bank.v1.ListCustomersResponse;
import dev.distribank.proto.bank.v1.ListOperationsRequest;
import dev.distribank.proto.bank.v1.ListOperationsResponse;
import io.grpc.stub.StreamObserver;

/**
 * AdminService: the operator's reads, behind the node's admin token. Each method reads the request, calls the
 * {@link BankApplication} (the audit: the {@link Auditor}, which asks every bank), and writes the answer back.
 */
public final class AdminServiceImpl extends AdminServiceGrpc.AdminServiceImplBase {
  private final BankApplication app;
  private final Auditor auditor;

  public AdminServiceImpl(BankApplication app, Auditor auditor) {
    this.app = app;
    this.auditor = auditor;
  }

  @Override
  public void listCustomers(ListCustomersRequest req, StreamObserver<ListCustomersResponse> out) {
    Replies.answer(app.customers(Caller.token(), new PageRequest(req.getPageSize(), req.getPageToken())),
        p -> ListCustomersResponse.newBuilder().addAllCustomers(p.items().stream()
            .map(c -> ApiProtos.toProto(c, app.bankId())).toList()).setNextPageToken(p.nextPageToken()).build(), out);
  }

  @Override
  public void listOperations(ListOperationsRequest req, StreamObserver<ListOperationsResponse> out) {
    Replies.answer(app.operations(Caller.token(), new PageRequest(req.getPageSize(), req.getPageToken())),
        p -> ListOperationsResponse.newBuilder().addAllOperations(p.items().stream().map(ApiProtos::toProto)
            .toList()).setNextPageToken(p.nextPageToken()).build(), out);
  }

  @Override
  public void audit(AuditRequest req, StreamObserver<AuditResponse> out) {
    Replies.answer(app.authorizeOperator(Caller.token()).thenCompose(operator -> auditor.audit()), r -> r, out);
  }

  @Override
  public void getClusterStatus(GetClusterStatusRequest req, StreamObserver<GetClusterStatusResponse> out) {
    Replies.answer(app.consortium(Caller.token()), members -> ApiProtos.toProto(members, app.bankId()), out);
  }
}
