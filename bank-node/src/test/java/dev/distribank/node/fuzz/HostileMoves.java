package dev.distribank.node.fuzz;

import static io.grpc.Status.Code.ALREADY_EXISTS;
import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;

import dev.distribank.node.fuzz.Attempt.Caller;
import dev.distribank.node.fuzz.Attempt.Expect;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.bank.v1.WithdrawRequest;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Transfers, withdrawals and deposits that must be refused: malformed ones (bad request ids, 0 or 65+ legs, legs with
 * 0, negative or out-of-range amounts, unknown kinds, hostile account ids, missing or extra sides, money sent to
 * itself), and well-formed ones that no bank may apply: strangers and the CPF impostor debiting the victim, the
 * grantee going past the consent, the victim overdrawing or paying an account that does not exist.
 */
final class HostileMoves {
  static final long MAX_AMOUNT_CENTS = 1_000_000_000_000_000L;
  /** Request ids several generated requests share, so a repeat with other legs meets REQUEST_ID_REUSED. */
  private static final List<String> SHARED_REQUEST_IDS = List.of("0b9f0a4e-8f6e-4c1e-9a57-3c2f6f1d2a10",
      "5d2c7e1a-3b4f-4a8e-b1c2-9e8d7f6a5b40", "e7a1c3d5-2f4b-4e6a-8c0d-1b3f5a7c9e20");
  /** Accounts, keys and banks that do not exist. */
  private static final List<String> NOWHERE = List.of("alpha:99999", "beta:77777", "zeta:1001",
      "alpha:pix:nobody@example.com", "beta:pix:+5511999990000");
  private static final int[] UNKNOWN_LEG_KINDS = {0, 4, 99, -1, Integer.MAX_VALUE};

  private final Scenario s;

  HostileMoves(Scenario s) {
    this.s = s;
  }

  Attempt next(Random r) {
    int who = r.nextInt(10);
    Caller caller = switch (who) {
      case 0, 1, 2 -> s.victim;
      case 3, 4 -> s.stranger;
      case 5 -> s.impostor;
      case 6 -> s.grantee;
      case 7 -> Caller.NOBODY;
      case 8 -> Scenario.forged(r);
      default -> s.strangerAbroad;
    };
    String bank = who <= 4 ? Scenario.ALPHA : who <= 6 || who == 9 ? Scenario.BETA
        : r.nextBoolean() ? Scenario.ALPHA : Scenario.BETA;
    boolean signedIn = who <= 6;
    int method = r.nextInt(10);
    if (method < 6) {
      return transfer(r, bank, caller, signedIn);
    }
    return method < 8 ? withdrawal(r, bank, caller, signedIn) : deposit(r, bank, caller, signedIn);
  }

  private Attempt transfer(Random r, String bank, Caller caller, boolean signedIn) {
    var req = TransferRequest.newBuilder();
    String category;
    Expect expect;
    switch (signedIn ? r.nextInt(10) : -1) {
      case -1 -> {
        category = "move/unauthenticated";
        legs(r, req, 1 + r.nextInt(4), r.nextBoolean());
        expect = Expect.refused(UNAUTHENTICATED);
      }
      case 0 -> {
        category = "move/bad-request-id";
        legs(r, req, 1 + r.nextInt(4), false);
        req.setRequestId(badRequestId(r));
        expect = Expect.refused(INVALID_ARGUMENT);
      }
      case 1 -> {
        category = "move/no-legs";
        expect = Expect.refused(INVALID_ARGUMENT);
      }
      case 2 -> {
        category = "move/too-many-legs";
        legs(r, req, 65 + r.nextInt(16), false); // well-formed legs: the count alone is wrong
        expect = Expect.refused(INVALID_ARGUMENT);
      }
      case 3, 4, 5 -> {
        category = "move/broken-leg";
        legs(r, req, r.nextInt(5), false);
        req.addLegs(r.nextInt(req.getLegsCount() + 1), broken(r));
        expect = Expect.refused(INVALID_ARGUMENT);
      }
      default -> {
        category = "move/not-allowed";
        expect = unallowed(r, caller, req);
      }
    }
    if (req.getRequestId().isEmpty()) {
      req.setRequestId(requestId(r));
    }
    return Attempt.of(category, bank, BankServiceGrpc.getTransferMethod(), caller, req.build(),
        sharesRequestId(req.getRequestId(), expect));
  }

  /** Well-formed legs this caller may not have applied; the expected codes depend on who asks. */
  private Expect unallowed(Random r, Caller caller, TransferRequest.Builder req) {
    legs(r, req, r.nextInt(3), false);
    Leg refused;
    if (caller == s.victim) {
      refused = r.nextBoolean() ? overdraft(r) : nowhere(r);
      req.addLegs(r.nextInt(req.getLegsCount() + 1), refused);
      return Expect.refused(FAILED_PRECONDITION, NOT_FOUND);
    }
    if (caller == s.grantee) {
      switch (r.nextInt(3)) {
        case 0 -> refused = debit(r, s.joint, 1 + r.nextLong(MAX_AMOUNT_CENTS));
        case 1 -> refused = debit(r, s.account, Scenario.CONSENT_TOTAL_CENTS + 1
            + r.nextLong(MAX_AMOUNT_CENTS - Scenario.CONSENT_TOTAL_CENTS));
        default -> {
          // Within the consent, but the transaction fails elsewhere: the hold on the consent must be given back.
          req.clearLegs().addLegs(debit(r, s.account, 1 + r.nextLong(Scenario.CONSENT_TOTAL_CENTS)));
          refused = nowhere(r);
        }
      }
    } else {
      refused = debit(r, pick(r, s.victimAccounts()), 1 + r.nextLong(MAX_AMOUNT_CENTS));
    }
    req.addLegs(r.nextInt(req.getLegsCount() + 1), refused);
    return Expect.refused(PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION);
  }

  private Attempt withdrawal(Random r, String bank, Caller caller, boolean signedIn) {
    var req = WithdrawRequest.newBuilder().setAccount(pick(r, s.victimAccounts()))
        .setAmountCents(1 + r.nextInt(10_000));
    String category = "withdraw/not-allowed";
    Expect expect = Expect.refused(PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION);
    switch (signedIn ? r.nextInt(6) : -1) {
      case -1 -> {
        category = "withdraw/unauthenticated";
        expect = Expect.refused(UNAUTHENTICATED);
      }
      case 0 -> {
        category = "withdraw/bad-request-id";
        req.setRequestId(badRequestId(r));
        expect = Expect.refused(INVALID_ARGUMENT);
      }
      case 1 -> {
        category = "withdraw/bad-amount";
        req.setAmountCents(badAmount(r));
        expect = Expect.refused(INVALID_ARGUMENT);
      }
      case 2 -> {
        category = "withdraw/bad-account";
        req.setAccount(r.nextInt(5) == 0 ? "alpha:pix:" + Scenario.PIX_KEY : HostileText.strict(r, req.getAccount()));
        expect = Expect.refused(INVALID_ARGUMENT);
      }
      default -> {
        if (caller == s.victim && r.nextBoolean()) {
          long held = req.getAccount().equals(s.account) ? Scenario.ACCOUNT_CENTS : Scenario.JOINT_CENTS;
          req.setAmountCents(held + 1 + r.nextLong(MAX_AMOUNT_CENTS - held));
        } else if (caller == s.victim) {
          req.setAccount(pick(r, NOWHERE.subList(0, 3)));
        } else if (caller == s.grantee && req.getAccount().equals(s.account)) {
          req.setAmountCents(Scenario.CONSENT_TOTAL_CENTS + 1 + r.nextLong(MAX_AMOUNT_CENTS
              - Scenario.CONSENT_TOTAL_CENTS));
        }
      }
    }
    if (req.getRequestId().isEmpty()) {
      req.setRequestId(requestId(r));
    }
    return Attempt.of(category, bank, BankServiceGrpc.getWithdrawMethod(), caller, req.build(),
        sharesRequestId(req.getRequestId(), expect));
  }

  /** Deposits: anyone may credit any account, so only malformed ones, or ones to nowhere, must be refused. */
  private Attempt deposit(Random r, String bank, Caller caller, boolean signedIn) {
    var req = DepositRequest.newBuilder().setAccount(pick(r, s.victimAccounts())).setAmountCents(1 + r.nextInt(10_000));
    String category;
    Expect expect = Expect.refused(INVALID_ARGUMENT);
    switch (signedIn ? r.nextInt(4) : -1) {
      case -1 -> {
        category = "deposit/unauthenticated";
        expect = Expect.refused(UNAUTHENTICATED);
      }
      case 0 -> {
        category = "deposit/bad-request-id";
        req.setRequestId(badRequestId(r));
      }
      case 1 -> {
        category = "deposit/bad-amount";
        req.setAmountCents(badAmount(r));
      }
      case 2 -> {
        category = "deposit/bad-account";
        req.setAccount(r.nextInt(5) == 0 ? "alpha:pix:" + Scenario.PIX_KEY : HostileText.strict(r, req.getAccount()));
      }
      default -> {
        category = "deposit/nowhere";
        req.setAccount(pick(r, NOWHERE.subList(0, 3)));
        expect = Expect.refused(NOT_FOUND);
      }
    }
    if (req.getRequestId().isEmpty()) {
      req.setRequestId(requestId(r));
    }
    return Attempt.of(category, bank, BankServiceGrpc.getDepositMethod(), caller, req.build(),
        sharesRequestId(req.getRequestId(), expect));
  }

  /** Adds {@code count} legs: well-formed moves of the victim's money, or (if {@code anyLeg}) also broken ones. */
  private void legs(Random r, TransferRequest.Builder req, int count, boolean anyLeg) {
    for (int i = 0; i < count; i++) {
      req.addLegs(anyLeg && r.nextInt(3) == 0 ? broken(r) : plausible(r));
    }
  }

  /** A well-formed leg moving up to R$ 100 of the victim's money between her accounts, her key and out. */
  private Leg plausible(Random r) {
    String from = pick(r, s.victimAccounts());
    String other = from.equals(s.account) ? s.joint : s.account;
    long cents = 1 + r.nextInt(10_000);
    return switch (r.nextInt(5)) {
      case 0, 1 -> leg(LegKind.LEG_KIND_TRANSFER, from, other, cents);
      case 2 -> leg(LegKind.LEG_KIND_TRANSFER, s.joint, "alpha:pix:" + Scenario.PIX_KEY, cents);
      case 3 -> leg(LegKind.LEG_KIND_WITHDRAWAL, from, "", cents);
      default -> leg(LegKind.LEG_KIND_DEPOSIT, "", from, cents);
    };
  }

  /** A well-formed leg debiting {@code account}, to the victim's other account, her key, or out. */
  private Leg debit(Random r, String account, long cents) {
    String other = account.equals(s.account) ? s.joint : s.account;
    return switch (r.nextInt(3)) {
      case 0 -> leg(LegKind.LEG_KIND_TRANSFER, account, other, cents);
      case 1 -> leg(LegKind.LEG_KIND_TRANSFER, account, account.equals(s.joint) ? "alpha:pix:" + Scenario.PIX_KEY
          : pick(r, NOWHERE.subList(1, 2)), cents);
      default -> leg(LegKind.LEG_KIND_WITHDRAWAL, account, "", cents);
    };
  }

  /** A well-formed leg taking more than the account holds. */
  private Leg overdraft(Random r) {
    boolean joint = r.nextBoolean();
    long held = joint ? Scenario.JOINT_CENTS : Scenario.ACCOUNT_CENTS;
    return debit(r, joint ? s.joint : s.account, held + 1 + r.nextLong(MAX_AMOUNT_CENTS - held));
  }

  /** A well-formed leg paying, or depositing into, an account, key or bank that does not exist. */
  private Leg nowhere(Random r) {
    long cents = 1 + r.nextInt(10_000);
    return r.nextInt(4) == 0 ? leg(LegKind.LEG_KIND_DEPOSIT, "", pick(r, NOWHERE.subList(0, 3)), cents)
        : leg(LegKind.LEG_KIND_TRANSFER, pick(r, s.victimAccounts()), pick(r, NOWHERE), cents);
  }

  /** A leg no bank may parse. */
  private Leg broken(Random r) {
    String from = pick(r, s.victimAccounts());
    String to = from.equals(s.account) ? s.joint : s.account;
    long cents = 1 + r.nextInt(10_000);
    return switch (r.nextInt(8)) {
      case 0 -> leg(pickKind(r), from, to, badAmount(r));
      case 1 -> leg(LegKind.LEG_KIND_TRANSFER, from, to, cents).toBuilder()
          .setKindValue(UNKNOWN_LEG_KINDS[r.nextInt(UNKNOWN_LEG_KINDS.length)]).build();
      case 2 -> leg(r.nextBoolean() ? LegKind.LEG_KIND_TRANSFER : LegKind.LEG_KIND_WITHDRAWAL,
          HostileText.strict(r, from), to, cents);
      case 3 -> leg(LegKind.LEG_KIND_TRANSFER, from, brokenDestination(r, to), cents);
      case 4 -> leg(LegKind.LEG_KIND_DEPOSIT, "", r.nextBoolean() ? HostileText.strict(r, to)
          : "alpha:pix:" + Scenario.PIX_KEY, cents);
      case 5 -> r.nextBoolean() ? leg(LegKind.LEG_KIND_TRANSFER, "", to, cents)
          : leg(LegKind.LEG_KIND_DEPOSIT, "", "", cents);
      case 6 -> Leg.newBuilder().setKind(r.nextBoolean() ? LegKind.LEG_KIND_DEPOSIT : LegKind.LEG_KIND_WITHDRAWAL)
          .setFromAccount(from).setToAccount(to).setAmountCents(cents).build(); // a side its kind takes none of
      default -> leg(LegKind.LEG_KIND_TRANSFER, from, from, cents);
    };
  }

  /** A destination no bank may parse: a hostile account id, or a PIX key that is hostile, blank or too long. */
  private static String brokenDestination(Random r, String to) {
    return switch (r.nextInt(5)) {
      case 0, 1 -> HostileText.strict(r, to);
      case 2 -> "alpha:pix:" + HostileText.forbidden(r, Scenario.PIX_KEY);
      case 3 -> r.nextBoolean() ? "alpha:pix: " : "alpha:pix:" + "k".repeat(101 + r.nextInt(1000));
      default -> HostileText.strict(r, "alpha") + ":pix:" + Scenario.PIX_KEY;
    };
  }

  private static Leg leg(LegKind kind, String from, String to, long cents) {
    return Leg.newBuilder().setKind(kind).setFromAccount(kind == LegKind.LEG_KIND_DEPOSIT ? "" : from)
        .setToAccount(kind == LegKind.LEG_KIND_WITHDRAWAL ? "" : to).setAmountCents(cents).build();
  }

  private static LegKind pickKind(Random r) {
    return List.of(LegKind.LEG_KIND_TRANSFER, LegKind.LEG_KIND_DEPOSIT, LegKind.LEG_KIND_WITHDRAWAL).get(r.nextInt(3));
  }

  /** 0, negative, or above the 10^15-cent limit per leg. */
  static long badAmount(Random r) {
    return switch (r.nextInt(7)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> -1 - r.nextLong(MAX_AMOUNT_CENTS);
      case 3 -> Long.MIN_VALUE;
      case 4 -> Long.MAX_VALUE;
      case 5 -> MAX_AMOUNT_CENTS + 1;
      default -> MAX_AMOUNT_CENTS + 1 + r.nextLong(Long.MAX_VALUE - MAX_AMOUNT_CENTS - 1);
    };
  }

  /** Not a UUID in 8-4-4-4-12 hex form (capitals are fine, so none of these only changes case). */
  static String badRequestId(Random r) {
    String uuid = new UUID(r.nextLong(), r.nextLong()).toString();
    return switch (r.nextInt(9)) {
      case 0 -> Integer.toString(r.nextInt(1_000_000));
      case 1 -> uuid.substring(0, uuid.length() - 1);
      case 2 -> uuid + "0";
      case 3 -> uuid.replace("-", "");
      case 4 -> "{" + uuid + "}";
      case 5 -> HostileText.forbidden(r, uuid);
      case 6 -> HostileText.huge(r, uuid);
      case 7 -> " " + uuid;
      default -> uuid.replaceFirst("[0-9]", "\uFF11");
    };
  }

  /** Mostly none; sometimes a fresh UUID; sometimes one that other requests use too. */
  private static String requestId(Random r) {
    int roll = r.nextInt(10);
    return roll < 7 ? "" : roll < 9 ? new UUID(r.nextLong(), r.nextLong()).toString()
        : SHARED_REQUEST_IDS.get(r.nextInt(SHARED_REQUEST_IDS.size()));
  }

  /** A shared request id may meet an earlier use with other legs: REQUEST_ID_REUSED is a right answer then. */
  private static Expect sharesRequestId(String requestId, Expect expect) {
    return SHARED_REQUEST_IDS.contains(requestId) && !expect.codes().contains(INVALID_ARGUMENT)
        && !expect.codes().contains(UNAUTHENTICATED) ? expect.or(ALREADY_EXISTS) : expect;
  }

  static <T> T pick(Random r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }
}
