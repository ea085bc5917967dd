package dev.distribank.node.api;

import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.Consent;
import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.PixKey;
import dev.distribank.proto.bank.v1.ConsentState;

/** The ledger's values as API clients see them. */
public final class ApiProtos {
  private ApiProtos() {}

  public static dev.distribank.proto.bank.v1.Customer toProto(Customer c, String bank) {
    return dev.distribank.proto.bank.v1.Customer.newBuilder().setLogin(c.login()).setName(c.name())
        .setKind(TypeProtos.toProto(c.kind())).setTaxId(c.taxId()).setBank(bank).build();
  }

  public static dev.distribank.proto.bank.v1.Account toProto(Account a) {
    return dev.distribank.proto.bank.v1.Account.newBuilder().setAccount(a.id().toString()).setKind(TypeProtos.toProto(a.kind()))
        .addAllHolders(a.holders()).addAllEmployees(a.employees()).setBalanceCents(a.balanceCents())
        .setAvailableCents(a.availableCents()).build();
  }

  public static dev.distribank.proto.bank.v1.PixKey toProto(PixKey k) {
    return dev.distribank.proto.bank.v1.PixKey.newBuilder().setType(TypeProtos.toProto(k.type())).setValue(k.value())
        .setAccount(k.account().toString()).build();
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

}
