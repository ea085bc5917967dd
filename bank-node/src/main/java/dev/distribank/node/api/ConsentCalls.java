package dev.distribank.node.api;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Consent;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.loop.BankState;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.ListConsentsRequest;
import dev.distribank.proto.bank.v1.ListConsentsResponse;
import dev.distribank.proto.bank.v1.RevokeConsentRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Consents from the API (DESIGN §3): a holder signed in here lets a customer of another bank debit one account.
 * Validation precedence: caller, account, grantee, limits, expiry.
 */
final class ConsentCalls {
  private ConsentCalls() {}

  static CompletableFuture<dev.distribank.proto.bank.v1.Consent> grant(EventLoop loop, String token,
      GrantConsentRequest req) {
    return loop.call(s -> {
      Principal holder = s.authenticate(token);
      AccountId account = AccountId.parse(req.getAccount(), "account");
      Principal grantee = grantee(s, req.getGrantee());
      long expiresAt = req.hasExpireTime() ? epochMillis(req.getExpireTime()) : 0;
      Consent c = s.bank().grantConsent(holder, account, grantee, req.getLimitPerTransactionCents(),
          req.getTotalLimitCents(), expiresAt);
      return ApiProtos.toProto(c, s.bank().nowMillis());
    });
  }

  static CompletableFuture<ListConsentsResponse> list(EventLoop loop, String token, ListConsentsRequest req) {
    return loop.call(s -> {
      Principal p = s.authenticate(token);
      var out = ListConsentsResponse.newBuilder();
      for (Consent c : s.bank().consentsOf(p, AccountId.parse(req.getAccount(), "account"))) {
        out.addConsents(ApiProtos.toProto(c, s.bank().nowMillis()));
      }
      return out.build();
    });
  }

  static CompletableFuture<dev.distribank.proto.bank.v1.Consent> revoke(EventLoop loop, String token,
      RevokeConsentRequest req) {
    return loop.call(s -> {
      Principal holder = s.authenticate(token);
      AccountId account = AccountId.parse(req.getAccount(), "account");
      Consent c = s.bank().revokeConsent(holder, account, grantee(s, req.getGrantee()));
      return ApiProtos.toProto(c, s.bank().nowMillis());
    });
  }

  /** Protobuf's valid range of timestamps: 0001-01-01 to 9999-12-31. */
  private static final long MAX_SECONDS = 253_402_300_799L;

  /** A timestamp in epoch millis, refused when outside protobuf's range or not after 1970. */
  private static long epochMillis(com.google.protobuf.Timestamp t) {
    if (t.getSeconds() <= 0 || t.getSeconds() > MAX_SECONDS || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
      throw Rejection.of(Reason.INVALID_EXPIRE_TIME, "expire_time", "expire_time must be a valid time in the "
          + "future; leave it unset for a consent that does not expire").toException();
    }
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  /** {@code bank:login} of a customer of a consortium bank. */
  private static Principal grantee(BankState s, String text) {
    Principal grantee = Principal.parse(text, "grantee");
    if (!s.core().isMember(grantee.bank())) {
      throw Rejection.of(Reason.INVALID_GRANTEE, "grantee", "bank '" + grantee.bank()
          + "' is not in the consortium").with("bank", grantee.bank()).toException();
    }
    return grantee;
  }
}
