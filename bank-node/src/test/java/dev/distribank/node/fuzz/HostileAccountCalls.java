package dev.distribank.node.fuzz;

import static dev.distribank.node.fuzz.HostileMoves.pick;
import static io.grpc.Status.Code.ALREADY_EXISTS;
import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.distribank.node.fuzz.Attempt.Caller;
import dev.distribank.node.fuzz.Attempt.Expect;
import dev.distribank.node.core.ledger.Account;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.AddEmployeeRequest;
import dev.distribank.proto.bank.v1.AddHolderRequest;
import dev.distribank.proto.bank.v1.AddPixKeyRequest;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.GetAccountRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetStatementRequest;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.ListAccountsRequest;
import dev.distribank.proto.bank.v1.ListConsentsRequest;
import dev.distribank.proto.bank.v1.ListPixKeysRequest;
import dev.distribank.proto.bank.v1.LogoutRequest;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.PixKeyType;
import dev.distribank.proto.bank.v1.RemovePixKeyRequest;
import dev.distribank.proto.bank.v1.RevokeConsentRequest;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.Random;

/**
 * Calls on accounts, PIX keys and consents that must be refused: the stranger, the CPF impostor and the grantee
 * reading or changing the victim's accounts; the victim herself sending hostile ids, logins, keys and grantees, bad
 * page tokens and sizes, limits and expiry times; unknown enum numbers; and all of it without a valid token.
 * The victim never sends a request that would succeed (a clean key to remove, a clean grantee to revoke).
 */
final class HostileAccountCalls {
  private static final List<String> NOWHERE = List.of("alpha:99999", "beta:77777", "zeta:1001");
  private static final int[] UNKNOWN_KINDS = {0, 4, 99, -1, Integer.MAX_VALUE};
  /** Protobuf's last valid second, 9999-12-31T23:59:59Z. */
  private static final long MAX_SECONDS = 253_402_300_799L;

  private final Scenario s;

  HostileAccountCalls(Scenario s) {
    this.s = s;
  }

  /** An account field and what it alone makes the answer. */
  private record Target(String account, Expect expect) {}

  /** A request to send: the method, the message, and what its fields alone make the answer. */
  private record Call(MethodDescriptor<?, ?> method, Message request, Expect expect) {}

  Attempt next(Random r) {
    int who = r.nextInt(20);
    Caller caller = who < 7 ? s.victim : who < 11 ? s.stranger : who < 13 ? s.impostor : who < 15 ? s.grantee
        : who < 17 ? Scenario.forged(r) : who < 19 ? Caller.NOBODY : s.strangerAbroad;
    String bank = who < 11 ? Scenario.ALPHA : who < 15 || who == 19 ? Scenario.BETA
        : r.nextBoolean() ? Scenario.ALPHA : Scenario.BETA;
    boolean signedIn = who < 15;
    boolean victim = caller == s.victim;
    Target target = target(r, victim);
    Call call = switch (r.nextInt(signedIn ? 12 : 14)) {
      case 0 -> new Call(BankServiceGrpc.getGetAccountMethod(),
          GetAccountRequest.newBuilder().setAccount(target.account()).build(), target.expect());
      case 1 -> new Call(BankServiceGrpc.getGetBalanceMethod(),
          GetBalanceRequest.newBuilder().setAccount(target.account()).build(), target.expect());
      case 2 -> new Call(BankServiceGrpc.getListPixKeysMethod(),
          ListPixKeysRequest.newBuilder().setAccount(target.account()).build(), target.expect());
      case 3 -> new Call(BankServiceGrpc.getListConsentsMethod(),
          ListConsentsRequest.newBuilder().setAccount(target.account()).build(), target.expect());
      case 4 -> statement(r, victim, target);
      case 5, 6 -> newMember(r, victim, target);
      case 7 -> addKey(r, victim, target);
      case 8 -> removeKey(r, victim, target);
      case 9 -> grant(r, victim, target);
      case 10 -> revoke(r, victim, target);
      case 11 -> openAccount(r);
      case 12 -> new Call(BankServiceGrpc.getListAccountsMethod(), ListAccountsRequest.getDefaultInstance(),
          Expect.ANY_REFUSAL);
      default -> new Call(BankServiceGrpc.getLogoutMethod(), LogoutRequest.getDefaultInstance(), Expect.ANY_REFUSAL);
    };
    Expect expect = signedIn ? call.expect() : Expect.refused(UNAUTHENTICATED);
    String category = "account/" + (signedIn ? victim ? "victim" : "intruder" : "unauthenticated");
    return Attempt.of(category, bank, call.method(), caller, call.request(), expect);
  }

  /** A statement page: the victim's own account with a bad page, or any target with any page. */
  private Call statement(Random r, boolean victim, Target target) {
    var req = GetStatementRequest.newBuilder().setAccount(target.account()).setPageSize(r.nextInt(2000));
    Expect expect = target.expect();
    if (victim && r.nextBoolean()) {
      req.setAccount(pick(r, s.victimAccounts())); // her own account: only the page may be wrong
      badPage(r, req);
      expect = Expect.refused(INVALID_ARGUMENT);
    } else if (r.nextBoolean()) {
      badPage(r, req);
      expect = expect.or(INVALID_ARGUMENT);
    }
    return new Call(BankServiceGrpc.getGetStatementMethod(), req.build(), expect);
  }

  /** A holder or employee to add: the victim to her own accounts (never a real customer), anyone to any target. */
  private Call newMember(Random r, boolean victim, Target target) {
    boolean holder = r.nextBoolean();
    String login = newcomer(r);
    String account = target.account();
    Expect expect = HostileText.hasForbidden(login) ? target.expect().or(INVALID_ARGUMENT) : target.expect();
    if (victim && r.nextInt(3) != 0) {
      account = pick(r, s.victimAccounts());
      expect = holder && account.equals(s.joint) ? byLogin(login)
          : Expect.refused(FAILED_PRECONDITION).or(INVALID_ARGUMENT); // only a joint account takes holders
    }
    return holder
        ? new Call(BankServiceGrpc.getAddHolderMethod(),
            AddHolderRequest.newBuilder().setAccount(account).setLogin(login).build(), expect)
        : new Call(BankServiceGrpc.getAddEmployeeMethod(),
            AddEmployeeRequest.newBuilder().setAccount(account).setLogin(login).build(), expect);
  }

  private Call addKey(Random r, boolean victim, Target target) {
    var req = AddPixKeyRequest.newBuilder().setAccount(target.account());
    badPixKey(r, req);
    Expect expect = target.expect().or(INVALID_ARGUMENT);
    if (victim && r.nextInt(3) != 0) {
      req.setAccount(pick(r, s.victimAccounts()));
      expect = Expect.refused(INVALID_ARGUMENT);
    }
    return new Call(BankServiceGrpc.getAddPixKeyMethod(), req.build(), expect);
  }

  /** The victim removing a hostile spelling of her key, or one she does not have; anyone else, her key. */
  private Call removeKey(Random r, boolean victim, Target target) {
    var req = RemovePixKeyRequest.newBuilder().setAccount(target.account())
        .setValue(r.nextBoolean() ? Scenario.PIX_KEY : HostileText.forbidden(r, Scenario.PIX_KEY));
    Expect expect = HostileText.hasForbidden(req.getValue()) ? target.expect().or(INVALID_ARGUMENT) : target.expect();
    if (victim && r.nextInt(3) != 0) {
      boolean hostile = r.nextBoolean();
      req.setAccount(hostile ? s.account : pick(r, s.victimAccounts()))
          .setValue(hostile ? HostileText.forbidden(r, Scenario.PIX_KEY) : "nobody@example.com");
      expect = Expect.refused(hostile ? INVALID_ARGUMENT : NOT_FOUND);
    }
    return new Call(BankServiceGrpc.getRemovePixKeyMethod(), req.build(), expect);
  }

  private Call grant(Random r, boolean victim, Target target) {
    var req = GrantConsentRequest.newBuilder().setAccount(target.account());
    badGrant(r, req);
    Expect expect = target.expect().or(INVALID_ARGUMENT);
    if (victim && r.nextInt(3) != 0) {
      req.setAccount(pick(r, s.victimAccounts()));
      expect = Expect.refused(INVALID_ARGUMENT);
    }
    return new Call(BankServiceGrpc.getGrantConsentMethod(), req.build(), expect);
  }

  private Call revoke(Random r, boolean victim, Target target) {
    var req = RevokeConsentRequest.newBuilder().setAccount(target.account()).setGrantee("beta:vitor");
    Expect expect = target.expect();
    if (victim && r.nextInt(3) != 0) {
      expect = badRevoke(r, req);
    } else if (r.nextBoolean()) {
      req.setGrantee(HostileText.strict(r, "beta:vitor"));
      expect = expect.or(INVALID_ARGUMENT);
    }
    return new Call(BankServiceGrpc.getRevokeConsentMethod(), req.build(), expect);
  }

  /** An unknown kind, or a business account, which only a company may open (every caller here is a person). */
  private static Call openAccount(Random r) {
    var req = OpenAccountRequest.newBuilder();
    if (r.nextInt(4) == 0) {
      return new Call(BankServiceGrpc.getOpenAccountMethod(), req.setKind(AccountKind.ACCOUNT_KIND_BUSINESS).build(),
          Expect.refused(FAILED_PRECONDITION));
    }
    return new Call(BankServiceGrpc.getOpenAccountMethod(),
        req.setKindValue(UNKNOWN_KINDS[r.nextInt(UNKNOWN_KINDS.length)]).build(), Expect.refused(INVALID_ARGUMENT));
  }

  /**
   * The account a call names: the victim's own only in a hostile spelling or one that does not exist; for anyone
   * else, also her real accounts (which they may neither read nor change).
   */
  private Target target(Random r, boolean victim) {
    int roll = r.nextInt(10);
    if (roll < (victim ? 7 : 3)) {
      return new Target(HostileText.strict(r, pick(r, s.victimAccounts())), Expect.refused(INVALID_ARGUMENT));
    }
    if (roll < 5 || victim) {
      return new Target(pick(r, NOWHERE), Expect.refused(NOT_FOUND));
    }
    return new Target(pick(r, s.victimAccounts()), Expect.refused(PERMISSION_DENIED, NOT_FOUND));
  }

  /** A login to add to an account: hostile, misspelt, huge, or clean but no customer's (never a real one). */
  private static String newcomer(Random r) {
    return switch (r.nextInt(5)) {
      case 0, 1 -> HostileText.forbidden(r, pick(r, List.of("sam", "vera", "mallory")));
      case 2 -> HostileText.misspell(r, "sam");
      case 3 -> HostileText.huge(r, "sam");
      default -> r.nextBoolean() ? "nobody-here" : "vera";
    };
  }

  /** What the victim adding {@code login} to her joint account must get: the login is the only thing wrong. */
  private static Expect byLogin(String login) {
    if (HostileText.hasForbidden(login)) {
      return Expect.refused(INVALID_ARGUMENT); // refused as text, before it is looked up
    }
    return login.equals("vera") ? Expect.refused(ALREADY_EXISTS) : Expect.refused(NOT_FOUND, INVALID_ARGUMENT);
  }

  private static void badPage(Random r, GetStatementRequest.Builder req) {
    if (r.nextBoolean()) {
      req.setPageSize(switch (r.nextInt(3)) {
        case 0 -> -1;
        case 1 -> Integer.MIN_VALUE;
        default -> -1 - r.nextInt(Integer.MAX_VALUE);
      });
      return;
    }
    req.setPageToken(switch (r.nextInt(9)) {
      case 0 -> "-1";
      case 1 -> "-" + (1 + r.nextInt(1_000_000));
      case 2 -> "abc";
      case 3 -> HostileText.forbidden(r, "5");
      case 4 -> "99999999999999999999";
      case 5 -> HostileText.huge(r, "5");
      case 6 -> "1.5";
      case 7 -> " 5";
      default -> "0x10";
    });
  }

  /** A key the bank must refuse: unknown type, an EVP value given, or a value with a forbidden code point. */
  private static void badPixKey(Random r, AddPixKeyRequest.Builder req) {
    switch (r.nextInt(6)) {
      case 0 -> req.setTypeValue(UNKNOWN_KINDS[r.nextInt(UNKNOWN_KINDS.length)]).setValue("vera.new@example.com");
      case 1 -> req.setType(PixKeyType.PIX_KEY_TYPE_EVP).setValue(r.nextBoolean() ? "x"
          : "123e4567-e89b-12d3-a456-426614174000");
      case 2 -> req.setType(PixKeyType.PIX_KEY_TYPE_EMAIL)
          .setValue(HostileText.forbidden(r, r.nextBoolean() ? Scenario.PIX_KEY : "vera.new@example.com"));
      case 3 -> req.setType(PixKeyType.PIX_KEY_TYPE_CPF).setValue(HostileText.forbidden(r, Scenario.VICTIM_CPF));
      case 4 -> req.setType(PixKeyType.PIX_KEY_TYPE_PHONE).setValue(HostileText.forbidden(r, "+5511987654321"));
      default -> req.setType(PixKeyType.PIX_KEY_TYPE_EMAIL).setValue(HostileText.huge(r, "vera.new@example.com"));
    }
  }

  /** At least one thing wrong with a grant: the grantee, a limit, or the expiry. */
  private static void badGrant(Random r, GrantConsentRequest.Builder req) {
    req.setGrantee(pick(r, List.of("beta:vitor", "beta:mallory", "beta:newcomer")))
        .setLimitPerTransactionCents(r.nextInt(1000)).setTotalLimitCents(r.nextInt(1000));
    switch (r.nextInt(5)) {
      case 0 -> req.setGrantee(HostileText.strict(r, req.getGrantee()));
      case 1 -> req.setGrantee(pick(r, List.of("alpha:sam", "alpha:vera", "zeta:vitor", "gamma:vitor", "beta:x")));
      case 2 -> req.setLimitPerTransactionCents(badLimit(r));
      case 3 -> req.setTotalLimitCents(badLimit(r));
      default -> req.setExpireTime(badExpiry(r));
    }
  }

  /** Negative, or more than any account may hold. */
  private static long badLimit(Random r) {
    long cap = Account.MAX_BALANCE_CENTS;
    return r.nextBoolean() ? -1 - r.nextLong(Long.MAX_VALUE) : cap + 1 + r.nextLong(Long.MAX_VALUE - cap);
  }

  /** Not a time, before 1970, already past, or more than ten years ahead. */
  private static Timestamp badExpiry(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> Timestamp.newBuilder().setSeconds(-r.nextLong(Long.MAX_VALUE)).build();
      case 1 -> Timestamp.newBuilder().setSeconds(MAX_SECONDS + 1 + r.nextLong(Long.MAX_VALUE - MAX_SECONDS - 1))
          .build();
      case 2 -> Timestamp.newBuilder().setSeconds(2_000_000_000).setNanos(r.nextBoolean() ? -1 : 1_000_000_000)
          .build();
      case 3 -> Timestamp.newBuilder().setSeconds(1 + r.nextInt(1_600_000_000)).build();
      default -> Timestamp.newBuilder().setSeconds(2_200_000_000L + r.nextLong(MAX_SECONDS - 2_200_000_000L))
          .build();
    };
  }

  /** The victim revoking what is not there, or naming the grantee in a hostile way; never the live consent. */
  private Expect badRevoke(Random r, RevokeConsentRequest.Builder req) {
    req.setAccount(pick(r, s.victimAccounts()));
    switch (r.nextInt(4)) {
      case 0 -> {
        req.setGrantee(HostileText.strict(r, "beta:vitor"));
        return Expect.refused(INVALID_ARGUMENT);
      }
      case 1 -> {
        req.setGrantee("zeta:vitor");
        return Expect.refused(INVALID_ARGUMENT);
      }
      case 2 -> {
        req.setAccount(s.joint).setGrantee("beta:vitor"); // the consent is on her other account
        return Expect.refused(NOT_FOUND);
      }
      default -> {
        req.setGrantee(pick(r, List.of("beta:nobody", "beta:mallory", "alpha:sam")));
        return Expect.refused(NOT_FOUND, INVALID_ARGUMENT);
      }
    }
  }
}
