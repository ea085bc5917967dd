package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.BaseEncoding;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Request fingerprints are structural and stable: the same typed request always hashes the same, any field changes
 * it, and fingerprints stored as text by older versions still match their retries.
 */
class RequestFingerprintTest {
  private static final Principal ANA = new Principal("alpha", "ana");
  private static final AccountId A = new AccountId("alpha", 1001);
  private static final AccountId B = new AccountId("beta", 1002);
  private static final List<Leg> LEGS = List.of(Leg.transfer(A, new Destination.ToAccount(B), 500),
      Leg.transfer(A, new Destination.ToPixKey("beta", "ana@example.com"), 7), Leg.deposit(A, 100),
      Leg.withdrawal(A, 30));
  private static final java.util.function.Function<String, String> NO_TAX_IDS = login -> null;

  @Test
  void sameRequest_sameDigest_pinnedAcrossVersions() {
    // Stored digests must keep matching after an upgrade: changing the canonical form breaks every stored retry.
    assertEquals("7b27ae12",
        BaseEncoding.base16().lowerCase().encode(RequestFingerprint.of(ANA, LEGS).digest()).substring(0, 8));
    assertTrue(RequestFingerprint.of(ANA, LEGS).matches(ANA, List.copyOf(LEGS), NO_TAX_IDS));
  }

  @Test
  void anyFieldChanged_noMatch() {
    var stored = RequestFingerprint.of(ANA, LEGS);
    assertFalse(stored.matches(new Principal("alpha", "bia"), LEGS, NO_TAX_IDS), "another customer");
    assertFalse(stored.matches(new Principal("beta", "ana"), LEGS, NO_TAX_IDS), "the same login at another bank");
    assertFalse(stored.matches(ANA, LEGS.subList(0, 3), NO_TAX_IDS), "a leg fewer");
    assertFalse(stored.matches(ANA, List.of(Leg.transfer(A, new Destination.ToAccount(B), 501), LEGS.get(1),
        LEGS.get(2), LEGS.get(3)), NO_TAX_IDS), "another amount");
    assertFalse(stored.matches(ANA, List.of(Leg.transfer(A, new Destination.ToPixKey("beta", "beta:1002"), 500),
        LEGS.get(1), LEGS.get(2), LEGS.get(3)), NO_TAX_IDS), "a PIX key spelled like the account");
    assertFalse(stored.matches(ANA, List.of(LEGS.get(1), LEGS.get(0), LEGS.get(2), LEGS.get(3)), NO_TAX_IDS),
        "the same legs in another order");
  }

  @Test
  void legacyTextFingerprints_matchTheirRetries_inBothOldForms() {
    String shown = "[alpha:1001 -> beta:1002 500, alpha:1001 -> beta:pix:ana@example.com 7,"
        + " deposit -> alpha:1001 100, alpha:1001 -> withdrawal 30]";
    assertTrue(RequestFingerprint.legacy("alpha:ana|" + shown).matches(ANA, LEGS, NO_TAX_IDS));
    assertTrue(RequestFingerprint.legacy("12345678909|" + shown).matches(ANA, LEGS, login -> "12345678909"));
    assertFalse(RequestFingerprint.legacy("alpha:ana|" + shown).matches(ANA, LEGS.subList(0, 2), NO_TAX_IDS));
    assertFalse(RequestFingerprint.legacy("12345678909|" + shown).matches(ANA, LEGS, NO_TAX_IDS),
        "the tax-id form needs the customer's tax id");
  }

  @Test
  void voteDigest_pinnedAcrossVersions() {
    // Banks of two versions check each other's signed votes during a rolling upgrade: the digest must not move.
    var p = new Message.Propose("alpha-7", "alpha", ANA, LEGS, List.of("alpha", "beta"),
        "123e4567-e89b-12d3-a456-426614174000");
    assertEquals("e55a702c", BaseEncoding.base16().lowerCase().encode(Votes.digest(p, "beta")).substring(0, 8));
  }
}
