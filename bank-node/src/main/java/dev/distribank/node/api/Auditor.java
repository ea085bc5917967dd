package dev.distribank.node.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.distribank.node.app.BankApplication;
import dev.distribank.node.core.ledger.ExactCents;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Text;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankTotals;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The consortium audit (DESIGN §4): pick the cut t = max(clock) over all banks, ask every bank for its totals as of
 * t (each raises its clock past t and waits until everything up to t is applied), and sum. Because every bank applies
 * in timestamp order, the cut is consistent: conservation must hold exactly, even while transfers run, and so must
 * every pair of banks' records of the money between them.
 */
public final class Auditor {
  static final long TIMEOUT_MILLIS = 10_000;

  private final BankApplication bank;
  private final OtherBanks peers;
  private final Set<String> others;

  /** An auditor at {@code bank}, asking {@code peers} for the others of {@code banks} (every member). */
  public Auditor(BankApplication bank, OtherBanks peers, Set<String> banks) {
    this.bank = bank;
    this.peers = peers;
    this.others = new TreeSet<>(banks);
    this.others.remove(bank.bankId());
  }

  CompletableFuture<AuditResponse> audit() {
    var clocks = new ArrayList<CompletableFuture<Long>>();
    clocks.add(bank.clock());
    others.forEach(other -> clocks.add(named(other, peers.clock(other, TIMEOUT_MILLIS))));
    return CompletableFuture.allOf(clocks.toArray(CompletableFuture[]::new)).thenCompose(done -> {
      long cut = clocks.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
      var snapshots = new ArrayList<CompletableFuture<BankTotals>>();
      snapshots.add(bank.snapshot(cut).thenApply(ApiProtos::toProto));
      others.forEach(other -> snapshots.add(named(other, peers.snapshot(other, cut, TIMEOUT_MILLIS))));
      return CompletableFuture.allOf(snapshots.toArray(CompletableFuture[]::new))
          .thenApply(all -> sum(cut, snapshots.stream().map(CompletableFuture::join).toList()));
    });
  }

  /**
   * Sums the banks' totals exactly (running totals may outgrow an int64), checks I1 and I2, and checks every pair of
   * banks' flows against each other ({@link BilateralCheck}).
   */
  static AuditResponse sum(long cut, List<BankTotals> banks) {
    BigInteger total = BigInteger.ZERO;
    BigInteger deposits = BigInteger.ZERO;
    BigInteger withdrawals = BigInteger.ZERO;
    int negative = 0;
    var out = AuditResponse.newBuilder().setAtCounter(cut);
    List<BankTotals> sorted = banks.stream().sorted(Comparator.comparing(BankTotals::getBank)).toList();
    for (BankTotals b : sorted) {
      out.addBanks(b);
      try {
        total = total.add(ExactCents.read(b.getExactTotalBalanceCents(), b.getTotalBalanceCents()));
        deposits = deposits.add(ExactCents.read(b.getExactDepositsCents(), b.getDepositsCents()));
        withdrawals = withdrawals.add(ExactCents.read(b.getExactWithdrawalsCents(), b.getWithdrawalsCents()));
      } catch (NumberFormatException e) {
        throw Rejection.of(Reason.BANK_UNAVAILABLE, "", "bank " + Text.quote(b.getBank())
            + " answered the audit with a malformed total").with("bank", b.getBank()).toException();
      }
      negative += b.getNegativeAccounts();
    }
    BilateralCheck.check(sorted, out);
    return out.setTotalBalanceCents(ExactCents.fitting(total)).setDepositsCents(ExactCents.fitting(deposits))
        .setWithdrawalsCents(ExactCents.fitting(withdrawals)).setExactTotalBalanceCents(total.toString())
        .setExactDepositsCents(deposits.toString()).setExactWithdrawalsCents(withdrawals.toString())
        .setBalanced(total.equals(deposits.subtract(withdrawals))).setNoNegativeBalance(negative == 0).build();
  }


  /**
   * Turns a failed call to {@code bank} into a refusal naming it: AUDIT_CUT_FORGOTTEN when it restarted after the
   * cut (audit again), BANK_UNAVAILABLE otherwise, saying in words what went wrong: the call's status code, and the
   * reason the bank gave if it refused. Never the exception's text, which is a Java class name and a transport's
   * diagnostics.
   */
  private static <T> CompletableFuture<T> named(String bank, CompletableFuture<T> call) {
    return call.exceptionallyCompose(e -> CompletableFuture.failedFuture(unanswered(bank, e).toException()));
  }

  static Rejection unanswered(String bank, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    Status status = Status.fromThrowable(cause);
    String reason = reason(cause);
    if (reason.equals(Reason.AUDIT_CUT_FORGOTTEN.name())) {
      return Rejection.of(Reason.AUDIT_CUT_FORGOTTEN, "", "bank " + bank + " restarted after the audit's cut and "
          + "cannot answer for it; audit again").with("bank", bank);
    }
    return Rejection.of(Reason.BANK_UNAVAILABLE, "", "bank " + bank + " did not answer the audit: " + status.getCode()
        + (reason.isEmpty() ? "" : " " + Text.quote(reason))).with("bank", bank);
  }

  /** The ErrorInfo reason of another bank's refusal; "" when it sent none (it did not answer at all). */
  private static String reason(Throwable cause) {
    var details = StatusProto.fromThrowable(cause);
    if (details == null) {
      return "";
    }
    for (var any : details.getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        try {
          return any.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException malformed) {
          return "";
        }
      }
    }
    return "";
  }
}
