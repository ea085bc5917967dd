package dev.distribank.node.store;

import static dev.distribank.node.api.TypeProtos.fromProto;
import static dev.distribank.node.api.TypeProtos.toProto;

import dev.distribank.node.api.TypeProtos;
import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Consent;
import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.ledger.PixKey;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.proto.store.v1.AccountRecord;
import dev.distribank.proto.store.v1.ConsentRecord;
import dev.distribank.proto.store.v1.CustomerRecord;
import dev.distribank.proto.store.v1.PixKeyRecord;
import dev.distribank.proto.store.v1.PrincipalRecord;
import dev.distribank.proto.store.v1.RefusalRecord;

/** The ledger's durable values and their storage records. */
public final class LedgerRecords {
  private LedgerRecords() {}

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

  /**
   * The entry's record, without its account: the key names it (its number, at this bank). Records written before
   * that carry it, and read the same.
   */
  public static dev.distribank.proto.bank.v1.LedgerEntry toRecord(LedgerEntry e) {
    return dev.distribank.proto.bank.v1.LedgerEntry.newBuilder().setTransactionId(e.transactionId())
        .setTimestamp(toProto(e.stamp())).setCounterparty(e.counterparty()).setAmountCents(e.amountCents())
        .setBalanceCents(e.balanceCents()).setInitiator(e.initiator()).setConsentId(e.consentId()).build();
  }

  /** The entry {@code sequence} of {@code account}, stored as {@code r}. */
  public static LedgerEntry fromRecord(dev.distribank.proto.bank.v1.LedgerEntry r, AccountId account, long sequence) {
    return new LedgerEntry(account, sequence, r.getTransactionId(), fromProto(r.getTimestamp()), r.getCounterparty(),
        r.getAmountCents(), r.getBalanceCents(), r.getInitiator(), r.getConsentId());
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

  /** The refusal's record; the failing leg goes in both its forms (see {@link TypeProtos#metadataWithLegacyLeg}). */
  public static RefusalRecord toRecord(Rejection r) {
    var b = RefusalRecord.newBuilder().setReason(r.reason().name()).setField(r.field()).setMessage(r.message())
        .putAllMetadata(TypeProtos.metadataWithLegacyLeg(r));
    if (r.hasFailedLeg()) {
      b.setFailedLeg(r.failedLeg());
    }
    return b.build();
  }

  /** The refusal, or null when the record is unset. */
  public static Rejection fromRecord(RefusalRecord r) {
    if (r.getReason().isEmpty()) {
      return null;
    }
    return TypeProtos.rejection(Reason.valueOf(r.getReason()), r.getField(), r.getMessage(), r.getMetadataMap(),
        r.hasFailedLeg() ? r.getFailedLeg() : null);
  }

}
