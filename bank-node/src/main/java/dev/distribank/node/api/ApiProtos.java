package dev.distribank.node.api;

import com.google.protobuf.Timestamp;
import dev.distribank.node.app.AccountView;
import dev.distribank.node.app.Cash;
import dev.distribank.node.app.ConsentGrant;
import dev.distribank.node.app.ConsentView;
import dev.distribank.node.app.MemberStatus;
import dev.distribank.node.app.NewCustomer;
import dev.distribank.node.app.SignedIn;
import dev.distribank.node.app.Transfer;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.ExactCents;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.PixKey;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.Outcome;
import dev.distribank.proto.bank.v1.BankTotals;
import dev.distribank.proto.bank.v1.ConsentState;
import dev.distribank.proto.bank.v1.CounterpartyFlow;
import dev.distribank.proto.bank.v1.CreateCustomerRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusResponse;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.LoginResponse;
import dev.distribank.proto.bank.v1.OperationStatus;
import dev.distribank.proto.bank.v1.PeerState;
import dev.distribank.proto.bank.v1.PeerStatus;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import dev.distribank.proto.bank.v1.TransferRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The API's requests as domain values, and the bank's answers as API messages. Reading a request checks only what
 * needs no state (the form of ids, amounts, legs, times), in each request's stated precedence; what the bank knows is
 * checked by the bank. The shared types of {@code types.proto} are {@link TypeProtos}'.
 */
public final class ApiProtos {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  /** Protobuf's valid range of timestamps: 0001-01-01 to 9999-12-31. */
  private static final long MAX_TIMESTAMP_SECONDS = 253_402_300_799L;

  private ApiProtos() {}

  // ---- requests in

  /** A sign-up; the bank checks every field (the tax id is whichever of cpf or cnpj was set). */
  static NewCustomer newCustomer(CreateCustomerRequest r) {
    CustomerKind kind = switch (r.getTaxIdCase()) {
      case CPF -> CustomerKind.INDIVIDUAL;
      case CNPJ -> CustomerKind.COMPANY;
      case TAXID_NOT_SET -> null;
    };
    return new NewCustomer(r.getName(), kind, kind == CustomerKind.COMPANY ? r.getCnpj() : r.getCpf(), r.getLogin(),
        r.getPassword());
  }

  static AccountKind accountKind(dev.distribank.proto.bank.v1.AccountKind kind) {
    AccountKind k = TypeProtos.fromProto(kind);
    if (k == null) {
      throw Rejection.of(Reason.INVALID_ACCOUNT_KIND, "kind", "kind must be INDIVIDUAL, JOINT or BUSINESS")
          .toException();
    }
    return k;
  }

  /** A request's {@code account} field. */
  static AccountId account(String text) {
    return AccountId.parse(text, "account");
  }

  /**
   * A deposit or withdrawal: request_id, amount_cents, then account, each refusal naming the request's own field
   * (the bank makes one leg of it, but the client sent no legs).
   */
  static Cash cash(String account, long amountCents, String requestId) {
    String id = requestId(requestId);
    if (amountCents <= 0 || amountCents > Leg.MAX_AMOUNT_CENTS) {
      throw Rejection.of(Reason.INVALID_AMOUNT, "amount_cents", "amount_cents must be between 1 and "
          + Leg.MAX_AMOUNT_CENTS + " cents, got " + amountCents).toException();
    }
    return new Cash(account(account), amountCents, id);
  }

  /** A transfer: request_id, the number of legs, then each leg in order. */
  static Transfer transfer(TransferRequest r) {
    String id = requestId(r.getRequestId());
    Leg.checkCount(List.of(), r.getLegsCount());
    var legs = new ArrayList<Leg>(r.getLegsCount());
    for (int i = 0; i < r.getLegsCount(); i++) {
      legs.add(leg(r.getLegs(i), i));
    }
    return new Transfer(legs, id);
  }

  /** Leg {@code i}; every refusal of it names the failed leg, as the bank's refusals of a leg do. */
  private static Leg leg(dev.distribank.proto.bank.v1.Leg l, int i) {
    try {
      return Leg.parse(TypeProtos.fromProto(l.getKind()), l.getFromAccount(), l.getToAccount(), l.getAmountCents(), i);
    } catch (Rejection.Rejected r) {
      // An account id's own check knows its field, not which leg it is in.
      throw r.rejection().hasFailedLeg() ? r : r.rejection().atLeg(i).toException();
    }
  }

  /** AIP-155: a UUID, or empty for none; kept in lower case, so a retry may change the case. */
  static String requestId(String requestId) {
    if (!requestId.isEmpty() && !UUID.matcher(requestId).matches()) {
      throw Rejection.of(Reason.INVALID_REQUEST_ID, "request_id",
          "request_id must be a UUID such as 123e4567-e89b-12d3-a456-426614174000, or empty").toException();
    }
    return requestId.toLowerCase(java.util.Locale.ROOT);
  }

  /** A consent's grant: account, grantee (its form, then its bank), then the expiry's form. */
  static ConsentGrant consentGrant(GrantConsentRequest r, Predicate<String> isMember) {
    AccountId account = account(r.getAccount());
    Principal grantee = grantee(r.getGrantee(), isMember);
    long expiresAt = r.hasExpireTime() ? epochMillis(r.getExpireTime()) : 0;
    return new ConsentGrant(account, grantee, r.getLimitPerTransactionCents(), r.getTotalLimitCents(), expiresAt);
  }

  /** {@code bank:login} of a customer of a consortium bank. */
  static Principal grantee(String text, Predicate<String> isMember) {
    Principal grantee = Principal.parse(text, "grantee");
    if (!isMember.test(grantee.bank())) {
      throw Rejection.of(Reason.INVALID_GRANTEE, "grantee", "bank '" + grantee.bank()
          + "' is not in the consortium").with("bank", grantee.bank()).toException();
    }
    return grantee;
  }

  /** A timestamp in epoch millis, refused when outside protobuf's range or not after 1970. */
  private static long epochMillis(Timestamp t) {
    if (t.getSeconds() <= 0 || t.getSeconds() > MAX_TIMESTAMP_SECONDS || t.getNanos() < 0
        || t.getNanos() > 999_999_999) {
      throw Rejection.of(Reason.INVALID_EXPIRE_TIME, "expire_time", "expire_time must be a valid time in the "
          + "future; leave it unset for a consent that does not expire").toException();
    }
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  // ---- answers out

  public static dev.distribank.proto.bank.v1.Customer toProto(Customer c, String bank) {
    return dev.distribank.proto.bank.v1.Customer.newBuilder().setLogin(c.login()).setName(c.name())
        .setKind(TypeProtos.toProto(c.kind())).setTaxId(c.taxId()).setBank(bank).build();
  }

  static LoginResponse toProto(SignedIn s, String bank) {
    return LoginResponse.newBuilder().setToken(s.token()).setExpireTime(timestamp(s.expiresAt()))
        .setCustomer(toProto(s.customer(), bank)).build();
  }

  public static dev.distribank.proto.bank.v1.Account toProto(AccountView a) {
    return dev.distribank.proto.bank.v1.Account.newBuilder().setAccount(a.id().toString())
        .setKind(TypeProtos.toProto(a.kind())).addAllHolders(a.holders()).addAllEmployees(a.employees())
        .setBalanceCents(a.balanceCents()).setAvailableCents(a.availableCents()).build();
  }

  public static dev.distribank.proto.bank.v1.PixKey toProto(PixKey k) {
    return dev.distribank.proto.bank.v1.PixKey.newBuilder().setType(TypeProtos.toProto(k.type())).setValue(k.value())
        .setAccount(k.account().toString()).build();
  }

  public static dev.distribank.proto.bank.v1.Consent toProto(ConsentView c) {
    var b = dev.distribank.proto.bank.v1.Consent.newBuilder().setId(c.id()).setAccount(c.account().toString())
        .setGrantee(c.grantee().qualified()).setLimitPerTransactionCents(c.limitPerTransactionCents())
        .setTotalLimitCents(c.totalLimitCents()).setUsedCents(c.usedCents()).setReservedCents(c.reservedCents())
        .setGrantTime(timestamp(c.grantedAtMillis())).setGrantedBy(c.grantedBy())
        .setState(ConsentState.valueOf("CONSENT_STATE_" + c.state().name()));
    if (c.expiresAtMillis() != 0) {
      b.setExpireTime(timestamp(c.expiresAtMillis()));
    }
    return b.build();
  }

  static TransactionReceipt toProto(Outcome.Committed c) {
    return TransactionReceipt.newBuilder().setTransactionId(c.transactionId())
        .setTimestamp(TypeProtos.toProto(c.stamp())).setRequestId(c.requestId())
        .addAllLegs(TypeProtos.toProto(c.legs())).setReplayed(c.replayed()).build();
  }

  static dev.distribank.proto.bank.v1.Operation toProto(Operation o) {
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

  /** A bank's totals as of an audit's cut, with its flows to and from every other bank. */
  public static BankTotals toProto(AuditTrail.Snapshot t) {
    var out = BankTotals.newBuilder().setBank(t.bank())
        .setTotalBalanceCents(ExactCents.fitting(t.totalBalanceCents()))
        .setDepositsCents(ExactCents.fitting(t.depositsCents()))
        .setWithdrawalsCents(ExactCents.fitting(t.withdrawalsCents()))
        .setExactTotalBalanceCents(t.totalBalanceCents().toString())
        .setExactDepositsCents(t.depositsCents().toString())
        .setExactWithdrawalsCents(t.withdrawalsCents().toString()).setAccounts(t.accounts())
        .setNegativeAccounts(t.negativeAccounts());
    t.flows().forEach((bank, flow) -> out.addCounterpartyFlows(CounterpartyFlow.newBuilder().setBank(bank)
        .setExactSentCents(flow.sentCents().toString()).setExactReceivedCents(flow.receivedCents().toString())));
    return out.build();
  }

  /** The consortium as {@code bank} sees it, in bank order, and the CPU time its process has used. */
  static GetClusterStatusResponse toProto(List<MemberStatus> members, String bank) {
    var out = GetClusterStatusResponse.newBuilder().setBank(bank).setProcessCpuMicros(ProcessHandle.current().info()
        .totalCpuDuration().map(d -> d.toNanos() / 1_000).orElse(0L));
    for (MemberStatus m : members) {
      var s = PeerStatus.newBuilder().setBank(m.bank()).setAddress(m.address()).setState(switch (m.health()) {
        case UNKNOWN -> PeerState.PEER_STATE_UNKNOWN;
        case UP -> PeerState.PEER_STATE_UP;
        case DOWN -> PeerState.PEER_STATE_DOWN;
      }).setSince(timestamp(m.since())).setLinked(m.linked());
      if (m.self()) {
        s.setSelf(true);
      } else {
        s.setRefusedMessages(m.refusedMessages());
      }
      out.addBanks(s);
    }
    return out.build();
  }

  private static Timestamp timestamp(long epochMillis) {
    return Timestamp.newBuilder().setSeconds(Math.floorDiv(epochMillis, 1000))
        .setNanos((int) Math.floorMod(epochMillis, 1000) * 1_000_000).build();
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
