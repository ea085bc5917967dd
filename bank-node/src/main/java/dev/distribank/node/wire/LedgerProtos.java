package dev.distribank.node.wire;

import dev.distribank.node.ledger.Account;
import dev.distribank.node.ledger.Consent;
import dev.distribank.node.ledger.AccountId;
import dev.distribank.node.ledger.AccountKind;
import dev.distribank.node.ledger.Customer;
import dev.distribank.node.ledger.CustomerKind;
import dev.distribank.node.ledger.Leg;
import dev.distribank.node.ledger.LedgerEntry;
import dev.distribank.node.ledger.PixKey;
import dev.distribank.node.ledger.PixKeyType;
import dev.distribank.node.ledger.Principal;
import dev.distribank.node.ledger.Reason;
import dev.distribank.node.ledger.Rejection;
import dev.distribank.node.ledger.Stamp;
import dev.distribank.proto.bank.v1.LamportTimestamp;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.ConsentState;
import dev.distribank.proto.store.v1.AccountRecord;
import dev.distribank.proto.store.v1.ConsentRecord;
import dev.distribank.proto.store.v1.CustomerRecord;
import dev.distribank.proto.store.v1.PixKeyRecord;
import dev.distribank.proto.store.v1.PrincipalRecord;
import dev.distribank.proto.store.v1.RefusalRecord;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the ledger's types and their protobuf forms, for the API, the store and the peer links. */
public final class LedgerProtos {
  private LedgerProtos() {}

  public static dev.distribank.proto.bank.v1.CustomerKind toProto(CustomerKind kind) {
    return kind == CustomerKind.INDIVIDUAL
        ? dev.distribank.proto.bank.v1.CustomerKind.CUSTOMER_KIND_INDIVIDUAL
        : dev.distribank.proto.bank.v1.CustomerKind.CUSTOMER_KIND_COMPANY;
  }

  public static dev.distribank.proto.bank.v1.AccountKind toProto(AccountKind kind) {
    return switch (kind) {
      case INDIVIDUAL -> dev.distribank.proto.bank.v1.AccountKind.ACCOUNT_KIND_INDIVIDUAL;
      case JOINT -> dev.distribank.proto.bank.v1.AccountKind.ACCOUNT_KIND_JOINT;
      case BUSINESS -> dev.distribank.proto.bank.v1.AccountKind.ACCOUNT_KIND_BUSINESS;
    };
  }

  /** The ledger's account kind, or null for UNSPECIFIED/unknown values. */
  public static AccountKind fromProto(dev.distribank.proto.bank.v1.AccountKind kind) {
    return switch (kind) {
      case ACCOUNT_KIND_INDIVIDUAL -> AccountKind.INDIVIDUAL;
      case ACCOUNT_KIND_JOINT -> AccountKind.JOINT;
      case ACCOUNT_KIND_BUSINESS -> AccountKind.BUSINESS;
      default -> null;
    };
  }

  public static dev.distribank.proto.bank.v1.PixKeyType toProto(PixKeyType type) {
    return dev.distribank.proto.bank.v1.PixKeyType.valueOf("PIX_KEY_TYPE_" + type.name());
  }

  /** The ledger's key type, or null for UNSPECIFIED/unknown values. */
  public static PixKeyType fromProto(dev.distribank.proto.bank.v1.PixKeyType type) {
    return switch (type) {
      case PIX_KEY_TYPE_CPF -> PixKeyType.CPF;
      case PIX_KEY_TYPE_CNPJ -> PixKeyType.CNPJ;
      case PIX_KEY_TYPE_EMAIL -> PixKeyType.EMAIL;
      case PIX_KEY_TYPE_PHONE -> PixKeyType.PHONE;
      case PIX_KEY_TYPE_EVP -> PixKeyType.EVP;
      default -> null;
    };
  }

  public static Leg.Kind fromProto(LegKind kind) {
    return switch (kind) {
      case LEG_KIND_TRANSFER -> Leg.Kind.TRANSFER;
      case LEG_KIND_DEPOSIT -> Leg.Kind.DEPOSIT;
      case LEG_KIND_WITHDRAWAL -> Leg.Kind.WITHDRAWAL;
      default -> null;
    };
  }

  public static dev.distribank.proto.bank.v1.Customer toProto(Customer c, String bank) {
    return dev.distribank.proto.bank.v1.Customer.newBuilder().setLogin(c.login()).setName(c.name())
        .setKind(toProto(c.kind())).setTaxId(c.taxId()).setBank(bank).build();
  }

  public static dev.distribank.proto.bank.v1.Account toProto(Account a) {
    return dev.distribank.proto.bank.v1.Account.newBuilder().setAccount(a.id().toString()).setKind(toProto(a.kind()))
        .addAllHolders(a.holders()).addAllEmployees(a.employees()).setBalanceCents(a.balanceCents())
        .setAvailableCents(a.availableCents()).build();
  }

  public static dev.distribank.proto.bank.v1.PixKey toProto(PixKey k) {
    return dev.distribank.proto.bank.v1.PixKey.newBuilder().setType(toProto(k.type())).setValue(k.value())
        .setAccount(k.account().toString()).build();
  }

  public static LamportTimestamp toProto(Stamp s) {
    return LamportTimestamp.newBuilder().setCounter(s.counter()).setBank(s.bank()).build();
  }

  /** The stamp, or null when the message has none (an unset field reads as counter 0 and bank ""). */
  public static Stamp fromProto(LamportTimestamp t) {
    return t.getBank().isEmpty() ? null : new Stamp(t.getCounter(), t.getBank());
  }

  public static dev.distribank.proto.bank.v1.Leg toProto(Leg leg) {
    var b = dev.distribank.proto.bank.v1.Leg.newBuilder()
        .setKind(LegKind.valueOf("LEG_KIND_" + leg.kind().name())).setAmountCents(leg.amountCents());
    if (leg.from() != null) {
      b.setFromAccount(leg.from().toString());
    }
    if (leg.to() != null) {
      b.setToAccount(leg.to().toString());
    }
    return b.build();
  }

  public static List<dev.distribank.proto.bank.v1.Leg> toProto(List<Leg> legs) {
    return legs.stream().map(LedgerProtos::toProto).toList();
  }

  /** Parses and validates legs as they came from a client or a peer; throws the first leg's refusal. */
  public static List<Leg> fromProto(List<dev.distribank.proto.bank.v1.Leg> legs) {
    var out = new ArrayList<Leg>(legs.size());
    for (int i = 0; i < legs.size(); i++) {
      var l = legs.get(i);
      out.add(Leg.parse(fromProto(l.getKind()), l.getFromAccount(), l.getToAccount(), l.getAmountCents(), i));
    }
    return out;
  }

  public static dev.distribank.proto.bank.v1.LedgerEntry toProto(LedgerEntry e) {
    return dev.distribank.proto.bank.v1.LedgerEntry.newBuilder().setTransactionId(e.transactionId())
        .setTimestamp(toProto(e.stamp())).setAccount(e.account().toString()).setCounterparty(e.counterparty())
        .setAmountCents(e.amountCents()).setBalanceCents(e.balanceCents()).setInitiator(e.initiator())
        .setConsentId(e.consentId()).build();
  }

  public static LedgerEntry fromProto(dev.distribank.proto.bank.v1.LedgerEntry e, long sequence) {
    return new LedgerEntry(AccountId.parse(e.getAccount(), "account"), sequence, e.getTransactionId(),
        fromProto(e.getTimestamp()), e.getCounterparty(), e.getAmountCents(), e.getBalanceCents(),
        e.getInitiator(), e.getConsentId());
  }

  /** A consent as clients see it, its state as of {@code nowMillis}. */
  public static dev.distribank.proto.bank.v1.Consent toProto(Consent c, long nowMillis) {
    var b = dev.distribank.proto.bank.v1.Consent.newBuilder().setId(c.id()).setAccount(c.account().toString())
        .setGrantee(c.grantee().qualified()).setLimitPerTransactionCents(c.limitPerTransactionCents())
        .setTotalLimitCents(c.totalLimitCents()).setUsedCents(c.usedCents()).setReservedCents(c.reservedCents())
        .setGrantTime(timestamp(c.grantedAtMillis())).setGrantedBy(c.grantedBy())
        .setState(ConsentState.valueOf("CONSENT_STATE_" + c.stateAt(nowMillis).name()));
    if (c.expiresAtMillis() != 0) {
      b.setExpireTime(timestamp(c.expiresAtMillis()));
    }
    return b.build();
  }

  private static com.google.protobuf.Timestamp timestamp(long epochMillis) {
    return com.google.protobuf.Timestamp.newBuilder().setSeconds(Math.floorDiv(epochMillis, 1000))
        .setNanos((int) Math.floorMod(epochMillis, 1000) * 1_000_000).build();
  }

  // ---- storage records ----

  public static CustomerRecord toRecord(Customer c) {
    return CustomerRecord.newBuilder().setLogin(c.login()).setName(c.name()).setKind(toProto(c.kind()))
        .setTaxId(c.taxId()).setPasswordHash(c.passwordHash()).build();
  }

  public static Customer fromRecord(CustomerRecord r) {
    CustomerKind kind = r.getKind() == dev.distribank.proto.bank.v1.CustomerKind.CUSTOMER_KIND_COMPANY
        ? CustomerKind.COMPANY : CustomerKind.INDIVIDUAL;
    return new Customer(r.getLogin(), r.getName(), kind, r.getTaxId(), r.getPasswordHash());
  }

  public static AccountRecord toRecord(Account a) {
    return AccountRecord.newBuilder().setNumber(a.id().number()).setKind(toProto(a.kind()))
        .addAllHolders(a.holders()).addAllEmployees(a.employees()).setBalanceCents(a.balanceCents())
        .setEntryCount(a.entryCount()).build();
  }

  public static Account fromRecord(AccountRecord r, String bank) {
    return new Account(new AccountId(bank, r.getNumber()), fromProto(r.getKind()), r.getHoldersList(),
        r.getEmployeesList(), r.getBalanceCents(), r.getEntryCount());
  }

  public static PixKeyRecord toRecord(PixKey k) {
    return PixKeyRecord.newBuilder().setType(toProto(k.type())).setValue(k.value())
        .setAccount(k.account().toString()).build();
  }

  public static PixKey fromRecord(PixKeyRecord r) {
    return new PixKey(fromProto(r.getType()), r.getValue(), AccountId.parse(r.getAccount(), "account"));
  }

  public static PrincipalRecord toRecord(Principal p) {
    return PrincipalRecord.newBuilder().setBank(p.bank()).setLogin(p.login()).build();
  }

  public static Principal fromRecord(PrincipalRecord r) {
    return new Principal(r.getBank(), r.getLogin());
  }

  public static ConsentRecord toRecord(Consent c) {
    return ConsentRecord.newBuilder().setId(c.id()).setAccountNumber(c.account().number())
        .setGranteeBank(c.grantee().bank()).setGranteeLogin(c.grantee().login())
        .setLimitPerTransactionCents(c.limitPerTransactionCents()).setTotalLimitCents(c.totalLimitCents())
        .setUsedCents(c.usedCents()).setExpireEpochMillis(c.expiresAtMillis())
        .setGrantEpochMillis(c.grantedAtMillis()).setGrantedBy(c.grantedBy()).setRevoked(c.revoked())
        .setReplaced(c.replaced()).build();
  }

  public static Consent fromRecord(ConsentRecord r, String bank) {
    return new Consent(r.getId(), new AccountId(bank, r.getAccountNumber()),
        new Principal(r.getGranteeBank(), r.getGranteeLogin()), r.getLimitPerTransactionCents(),
        r.getTotalLimitCents(), r.getExpireEpochMillis(), r.getGrantEpochMillis(), r.getGrantedBy(), r.getUsedCents(),
        r.getRevoked(), r.getReplaced());
  }

  public static RefusalRecord toRecord(Rejection r) {
    return RefusalRecord.newBuilder().setReason(r.reason().name()).setField(r.field()).setMessage(r.message())
        .putAllMetadata(r.metadata()).build();
  }

  /** The refusal, or null when the record is unset. */
  public static Rejection fromRecord(RefusalRecord r) {
    if (r.getReason().isEmpty()) {
      return null;
    }
    return new Rejection(Reason.valueOf(r.getReason()), r.getField(), r.getMessage(), r.getMetadataMap());
  }
}
