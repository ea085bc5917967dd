package dev.distribank.cli.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.Cli;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.Consent;
import dev.distribank.proto.bank.v1.ConsentState;
import dev.distribank.proto.bank.v1.GrantConsentResponse;
import dev.distribank.proto.bank.v1.ListConsentsResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consent grant|list|revoke} against two real linked nodes, and what a consent changes: a customer signed in at
 * alpha pulls money from an account at beta, refused until its holder grants a consent at beta, within its limits,
 * until it expires or is revoked.
 */
class ConsentCommandsTest {
  private static final Pattern GRANTED = Pattern.compile("granted consent (\\d+) on .*");

  @TempDir
  static Path dataDir;

  private static LocalCluster cluster;
  private static Cli alpha;
  private static Cli beta;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = new LocalCluster(dataDir, List.of("alpha", "beta"));
    alpha = new Cli(cluster, "alpha");
    beta = new Cli(cluster, "beta");
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    cluster.close();
  }

  /**
   * A payer, a customer of alpha, and a holder at beta whose account holds 100.00; {@code grantee} is the payer as a
   * consent names them.
   */
  private record Parties(String payerToken, String payerAccount, String holderToken, String holderAccount,
      String grantee) {}

  /** New customers for each test, so that no test sees another's consents. */
  private static Parties parties(String payer, String holder) {
    String payerToken = alpha.signUp(payer);
    String payerAccount = alpha.openAccount(payerToken, "individual");
    String holderToken = beta.signUp(holder);
    String holderAccount = beta.openAccount(holderToken, "individual");
    beta.ok("deposit", "--account", holderAccount, "--amount", "100.00", "--token", holderToken);
    return new Parties(payerToken, payerAccount, holderToken, holderAccount, "alpha:" + payer);
  }

  /** The payer, signed in at alpha, moves {@code amount} from the holder's account at beta to their own at alpha. */
  private static Cli.Result pull(Parties p, String amount) {
    return alpha.run("transfer", "--leg", p.holderAccount() + "," + p.payerAccount() + "," + amount,
        "--token", p.payerToken());
  }

  private static void assertRefused(Cli.Result r, String reason, String code) {
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertTrue(r.err().startsWith("error: " + reason + ": "), r::toString);
    assertTrue(r.err().lines().findFirst().orElseThrow().endsWith("(" + code + ")"), r::toString);
  }

  private static void assertHolderBalance(Parties p, String expected) {
    assertEquals(p.holderAccount() + "  balance " + expected + "  available " + expected,
        beta.ok("balance", "--account", p.holderAccount(), "--token", p.holderToken()).out().strip());
  }

  private static long grantedId(Cli.Result r) {
    Matcher m = GRANTED.matcher(r.out().strip());
    assertTrue(m.matches(), r::toString);
    return Long.parseLong(m.group(1));
  }

  private static List<Consent> consents(Parties p) {
    return Cli.json(beta.ok("consent", "list", "--account", p.holderAccount(), "--token", p.holderToken(),
        "--output", "json").out(), ListConsentsResponse.newBuilder()).build().getConsentsList();
  }

  @Test
  void crossBankDebit_refusedWithoutConsent_committedOnceGranted() {
    Parties p = parties("caio", "bia");
    Cli.Result before = pull(p, "10.00");
    assertRefused(before, "CONSENT_REQUIRED", "PERMISSION_DENIED");
    assertTrue(before.err().contains("  account: " + p.holderAccount()), before::toString);
    assertHolderBalance(p, "100.00");

    Cli.Result granted = beta.ok("consent", "grant", "--account", p.holderAccount(), "--to", "alpha:caio",
        "--token", p.holderToken());
    long id = grantedId(granted);
    assertEquals("granted consent " + id + " on " + p.holderAccount() + " to alpha:caio: no limit per transaction,"
        + " no total limit, never expires", granted.out().strip());

    Cli.Result after = pull(p, "10.00");
    assertEquals(0, after.exitCode(), after::toString);
    assertTrue(after.out().startsWith("committed "), after::toString);
    assertHolderBalance(p, "90.00");

    // The holder's statement names who took the money, and under which consent; the deposit was the holder's own.
    List<String> statement = beta.ok("statement", "--account", p.holderAccount(), "--token", p.holderToken())
        .out().lines().toList();
    assertEquals(3, statement.size(), () -> String.join("\n", statement));
    assertTrue(statement.get(1).matches("\\S+\\s+\\S+\\s+deposit\\s+100\\.00\\s+100\\.00\\s+bia@beta"),
        statement.get(1));
    assertTrue(statement.get(2).matches("\\S+\\s+\\S+\\s+" + p.payerAccount() + "\\s+-10\\.00\\s+90\\.00\\s+"
        + "caio@alpha \\(consent " + id + "\\)"), statement.get(2));

    List<String> list = beta.ok("consent", "list", "--account", p.holderAccount(), "--token", p.holderToken())
        .out().lines().toList();
    assertTrue(list.get(0).matches("ID\\s+GRANTEE\\s+PER TX\\s+TOTAL\\s+USED\\s+RESERVED\\s+EXPIRES\\s+STATE"),
        list::toString);
    assertTrue(list.get(1).matches(id + "\\s+alpha:caio\\s+no limit\\s+no limit\\s+10\\.00\\s+0\\.00\\s+never"
        + "\\s+active"), list::toString);
    assertEquals(2, list.size(), list::toString);
  }

  @Test
  void grant_limits_debitsOverEitherLimitRefused() {
    Parties p = parties("caua", "bela");
    GrantConsentResponse json = Cli.json(beta.ok("consent", "grant", "--account", p.holderAccount(), "--to",
        p.grantee(), "--limit", "10.00", "--total", "15", "--token", p.holderToken(), "--output", "json").out(),
        GrantConsentResponse.newBuilder()).build();
    Consent consent = json.getConsent();
    assertEquals(1000, consent.getLimitPerTransactionCents());
    assertEquals(1500, consent.getTotalLimitCents());
    assertFalse(consent.hasExpireTime(), consent::toString);
    assertEquals(p.holderAccount(), consent.getAccount());
    assertEquals(p.grantee(), consent.getGrantee());
    assertEquals("bela", consent.getGrantedBy());
    assertEquals(ConsentState.CONSENT_STATE_ACTIVE, consent.getState());

    assertRefused(pull(p, "10.01"), "CONSENT_LIMIT_EXCEEDED", "PERMISSION_DENIED");
    assertEquals(0, pull(p, "10.00").exitCode());
    // 10.00 of the 15.00 total is used: 5.01 more would pass the per-transaction limit but not the total.
    assertRefused(pull(p, "5.01"), "CONSENT_LIMIT_EXCEEDED", "PERMISSION_DENIED");
    assertEquals(0, pull(p, "5.00").exitCode());
    assertRefused(pull(p, "0.01"), "CONSENT_LIMIT_EXCEEDED", "PERMISSION_DENIED");
    assertHolderBalance(p, "85.00");

    List<String> list = beta.ok("consent", "list", "--account", p.holderAccount(), "--token", p.holderToken())
        .out().lines().toList();
    assertTrue(list.get(1).matches(consent.getId() + "\\s+" + p.grantee() + "\\s+10\\.00\\s+15\\.00\\s+15\\.00"
        + "\\s+0\\.00\\s+never\\s+exhausted"), list::toString);
  }

  @Test
  void revoke_endsTheConsent_laterDebitsRefusedAgain() {
    Parties p = parties("ciro", "bruna");
    long first = grantedId(beta.ok("consent", "grant", "--account", p.holderAccount(), "--to", p.grantee(),
        "--token", p.holderToken()));
    assertEquals(0, pull(p, "1.00").exitCode());

    Cli.Result revoked = beta.ok("consent", "revoke", "--account", p.holderAccount(), "--to", p.grantee(),
        "--token", p.holderToken());
    assertEquals("revoked consent " + first + " on " + p.holderAccount() + " to " + p.grantee() + " (used 1.00)",
        revoked.out().strip());
    assertRefused(pull(p, "1.00"), "CONSENT_REQUIRED", "PERMISSION_DENIED");
    assertHolderBalance(p, "99.00");

    // Nothing is left to revoke.
    assertRefused(beta.run("consent", "revoke", "--account", p.holderAccount(), "--to", p.grantee(), "--token",
        p.holderToken()), "CONSENT_NOT_FOUND", "NOT_FOUND");

    // Granted twice more: the newer grant replaces the older, and the list keeps every one, newest first.
    long second = grantedId(beta.ok("consent", "grant", "--account", p.holderAccount(), "--to", p.grantee(),
        "--limit", "2.00", "--token", p.holderToken()));
    long third = grantedId(beta.ok("consent", "grant", "--account", p.holderAccount(), "--to", p.grantee(),
        "--limit", "3.00", "--token", p.holderToken()));
    List<Consent> consents = consents(p);
    assertEquals(List.of(third, second, first), consents.stream().map(Consent::getId).toList(), consents::toString);
    assertEquals(List.of(ConsentState.CONSENT_STATE_ACTIVE, ConsentState.CONSENT_STATE_REPLACED,
        ConsentState.CONSENT_STATE_REVOKED), consents.stream().map(Consent::getState).toList(), consents::toString);
    // The limit in force is the newest grant's.
    assertRefused(pull(p, "3.01"), "CONSENT_LIMIT_EXCEEDED", "PERMISSION_DENIED");
    assertEquals(0, pull(p, "3.00").exitCode());
  }

  @Test
  void grant_expires_listedAndRefusedOnceExpired() throws InterruptedException {
    Parties p = parties("cleo", "breno");
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Cli.Result granted = beta.ok("consent", "grant", "--account", p.holderAccount(), "--to", p.grantee(),
        "--expires", "30d", "--token", p.holderToken());
    Matcher m = Pattern.compile(".*, expires (\\S+)").matcher(granted.out().strip());
    assertTrue(m.matches(), granted::toString);
    Duration left = Duration.between(before, Instant.parse(m.group(1)));
    assertTrue(left.compareTo(Duration.ofDays(30)) >= 0 && left.compareTo(Duration.ofDays(30).plusMinutes(1)) < 0,
        granted::toString);
    assertTrue(beta.ok("consent", "list", "--account", p.holderAccount(), "--token", p.holderToken()).out()
        .lines().anyMatch(l -> l.matches("\\d+\\s+" + p.grantee() + "\\s+no limit\\s+no limit\\s+0\\.00\\s+0\\.00\\s+"
            + Pattern.quote(m.group(1)) + "\\s+active")), granted::toString);

    // Replaced by one that ends in a few seconds: once it has, debits are refused for that reason.
    Instant soon = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    beta.ok("consent", "grant", "--account", p.holderAccount(), "--to", p.grantee(), "--expires", soon.toString(),
        "--token", p.holderToken());
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), soon).toMillis()) + 500);
    Cli.Result expired = pull(p, "1.00");
    assertRefused(expired, "CONSENT_EXPIRED", "PERMISSION_DENIED");
    assertTrue(expired.err().contains("  account: " + p.holderAccount()), expired::toString);
    assertHolderBalance(p, "100.00");
    assertEquals(ConsentState.CONSENT_STATE_EXPIRED, consents(p).get(0).getState());
  }

  @Test
  void grant_refusedByTheBank_exit1WithReason() {
    Parties p = parties("cida", "bento");
    assertRefused(beta.run("consent", "grant", "--account", p.holderAccount(), "--to", p.grantee(), "--expires",
        "2020-01-01T00:00:00Z", "--token", p.holderToken()), "INVALID_EXPIRE_TIME", "INVALID_ARGUMENT");
    // A customer of the account's own bank needs no consent, and one of a bank outside the consortium cannot use it.
    assertRefused(beta.run("consent", "grant", "--account", p.holderAccount(), "--to", "beta:bento", "--token",
        p.holderToken()), "INVALID_GRANTEE", "INVALID_ARGUMENT");
    assertRefused(beta.run("consent", "grant", "--account", p.holderAccount(), "--to", "omega:cida", "--token",
        p.holderToken()), "INVALID_GRANTEE", "INVALID_ARGUMENT");
    // Only a holder may grant.
    String other = beta.signUp("bruno");
    assertRefused(beta.run("consent", "grant", "--account", p.holderAccount(), "--to", p.grantee(), "--token",
        other), "NOT_ACCOUNT_HOLDER", "PERMISSION_DENIED");
    assertRefused(beta.run("consent", "revoke", "--account", p.holderAccount(), "--to", p.grantee(), "--token",
        p.holderToken()), "CONSENT_NOT_FOUND", "NOT_FOUND");
    assertEquals("no consents on " + p.holderAccount(), beta.ok("consent", "list", "--account",
        p.holderAccount(), "--token", p.holderToken()).out().strip());
  }
}
