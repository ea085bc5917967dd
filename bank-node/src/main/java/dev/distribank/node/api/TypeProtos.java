package dev.distribank.node.api;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.PixKeyType;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.proto.bank.v1.LamportTimestamp;
import dev.distribank.proto.bank.v1.LegKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions for the shared types of {@code bank/v1/types.proto} (kinds, Lamport stamps, legs, ledger entries):
 * the API speaks them, and storage records and peer messages embed them.
 */
public final class TypeProtos {
  private TypeProtos() {}

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
    return legs.stream().map(TypeProtos::toProto).toList();
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

  /**
   * Where refusals written before the {@code failed_leg} field keep the failing leg: metadata text. Writers still add
   * it, so nodes and stores of those versions read the leg; readers take the field, or else this entry.
   */
  private static final String LEGACY_LEG_KEY = "leg";

  /** A refusal's metadata as stored and sent: its own, plus the failing leg for readers that know no other form. */
  public static java.util.Map<String, String> metadataWithLegacyLeg(Rejection r) {
    if (!r.hasFailedLeg()) {
      return r.metadata();
    }
    var metadata = new java.util.TreeMap<>(r.metadata());
    metadata.put(LEGACY_LEG_KEY, Integer.toString(r.failedLeg()));
    return metadata;
  }

  /**
   * A refusal read back: its failing leg from {@code failedLeg} when set (non-null), else from the legacy metadata
   * entry, which is not kept as metadata.
   */
  public static Rejection rejection(Reason reason, String field, String message, java.util.Map<String, String> metadata,
      Integer failedLeg) {
    var own = new java.util.TreeMap<>(metadata);
    String legacy = own.remove(LEGACY_LEG_KEY);
    int leg = failedLeg != null ? failedLeg
        : legacy != null && legacy.matches("\\d{1,9}") ? Integer.parseInt(legacy) : Rejection.NO_LEG;
    return new Rejection(reason, field, message, own, Math.max(Rejection.NO_LEG, leg));
  }
}
