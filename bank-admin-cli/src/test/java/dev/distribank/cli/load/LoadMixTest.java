package dev.distribank.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.distribank.cli.text.DurationConverter;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pieces of a load run that need no node: generated transfers, the seeded identity, durations. */
class LoadMixTest {
  private static final List<LoadSetup.Bank> BANKS = List.of(
      new LoadSetup.Bank("alpha", null, "t", List.of("alpha:1", "alpha:2", "alpha:3")),
      new LoadSetup.Bank("beta", null, "t", List.of("beta:1", "beta:2")),
      new LoadSetup.Bank("gamma", null, "t", List.of("gamma:1", "gamma:2")));

  private static LoadMix mix(double cross, double multi, double overdraft) {
    return new LoadMix(BANKS, cross, multi, overdraft, 100_000, 700_000);
  }

  @Test
  void next_anyRatios_legsWellFormedAndFirstDebitAtTheCoordinator() {
    LoadMix mix = mix(0.5, 0.5, 0.1);
    var random = new SplittableRandom(1);
    for (int i = 0; i < 5_000; i++) {
      LoadMix.Planned t = mix.next(random);
      assertTrue(t.legs().size() >= 1 && t.legs().size() <= LoadMix.MAX_LEGS, t::toString);
      assertTrue(t.legs().get(0).getFromAccount().startsWith(t.coordinator().id() + ":"), t::toString);
      for (Leg leg : t.legs()) {
        assertEquals(LegKind.LEG_KIND_TRANSFER, leg.getKind());
        assertNotEquals(leg.getFromAccount(), leg.getToAccount(), t::toString);
        assertTrue(leg.getAmountCents() >= 1, t::toString);
      }
      if (t.overdraft()) {
        assertEquals(700_001, t.legs().get(0).getAmountCents(), t::toString);
      } else {
        assertTrue(t.legs().stream().allMatch(l -> l.getAmountCents() <= 5_000), t::toString);
      }
    }
  }

  @Test
  void next_batched_legsScaledDownByTheBatchSize_overdraftsStillOverdraw() {
    LoadMix mix = new LoadMix(BANKS, 0.5, 0.5, 0.1, 100_000, 700_000, 100);
    var random = new SplittableRandom(3);
    LoadSetup.Bank coordinator = mix.coordinator(random);
    for (int i = 0; i < 2_000; i++) {
      LoadMix.Planned t = mix.next(random, coordinator);
      assertEquals(coordinator, t.coordinator());
      assertTrue(t.legs().get(0).getFromAccount().startsWith(coordinator.id() + ":"), t::toString);
      long most = t.overdraft() ? 700_001 : 50; // a twentieth of 1,000.00, over 100 transfers in flight together
      assertTrue(t.legs().get(0).getAmountCents() <= most, t::toString);
      assertTrue(t.legs().stream().skip(1).allMatch(l -> l.getAmountCents() <= 50), t::toString);
    }
  }

  @Test
  void next_noCrossBank_staysAtTheCoordinator() {
    LoadMix mix = mix(0, 1, 0);
    var random = new SplittableRandom(2);
    for (int i = 0; i < 1_000; i++) {
      LoadMix.Planned t = mix.next(random);
      assertEquals(Set.of(t.coordinator().id()), LedgerCheck.banksOf(t.legs()), t::toString);
      assertTrue(t.legs().size() >= 2, t::toString);
    }
  }

  @Test
  void next_allCrossBank_alwaysTouchesAnotherBank() {
    LoadMix mix = mix(1, 0, 0);
    var random = new SplittableRandom(3);
    int touched = 0;
    for (int i = 0; i < 1_000; i++) {
      LoadMix.Planned t = mix.next(random);
      assertTrue(LedgerCheck.banksOf(t.legs()).size() >= 2, t::toString);
      assertEquals(1, t.legs().size(), t::toString);
      touched++;
    }
    assertEquals(1_000, touched);
  }

  @Test
  void next_sameSeed_sameTransactions() {
    LoadMix mix = mix(0.5, 0.5, 0.1);
    var a = new SplittableRandom(42);
    var b = new SplittableRandom(42);
    for (int i = 0; i < 100; i++) {
      assertEquals(mix.next(a).legs(), mix.next(b).legs());
    }
  }

  @Test
  void identity_fromSeed_validCpfAndStableLogin() {
    for (long seed : new long[] {0, 1, 11, 110_999_999, 999_999_997, Long.MAX_VALUE}) {
      LoadSetup.Identity id = LoadSetup.Identity.of(seed);
      assertEquals("load-" + seed, id.login());
      assertTrue(id.password().length() >= 8);
      // Same check digits as the node's test helper computes for the same nine digits.
      assertEquals(Cpfs.cpf(Integer.parseInt(id.cpf().substring(0, 9))), id.cpf());
      assertTrue(id.cpf().chars().distinct().count() > 1, id.cpf());
      assertEquals(id, LoadSetup.Identity.of(seed));
    }
  }

  @Test
  void durationConverter_shortFormsAndIso() {
    var convert = new DurationConverter();
    assertEquals(Duration.ofSeconds(30), convert.convert("30s"));
    assertEquals(Duration.ofSeconds(30), convert.convert("30"));
    assertEquals(Duration.ofMillis(500), convert.convert("500ms"));
    assertEquals(Duration.ofMinutes(2), convert.convert("2m"));
    assertEquals(Duration.ofHours(1), convert.convert("1h"));
    assertEquals(Duration.ofSeconds(90), convert.convert("PT1M30S"));
  }

  @Test
  void progressLine_format() {
    assertEquals("12s  842.5 tx/s  ok 10100  refused 523  errors 0  p99 12.3 ms",
        ProgressLine.format(12, 842.5, 10_100, 523, 0, 12_345));
    assertEquals("0s  0.0 tx/s  ok 0  refused 0  errors 0  p99 -", ProgressLine.format(0, 0, 0, 0, 0, -1));
  }

  @Test
  void reportDecimal_anyFiniteDouble_threeDecimalsWithoutTrailingZeros() {
    var json = new JsonObject();
    json.addProperty("d", LoadReport.decimal("d", 84.3));
    json.addProperty("z", LoadReport.decimal("z", 12.0));
    json.addProperty("third", LoadReport.decimal("third", 1.0 / 3));
    json.addProperty("hundred", LoadReport.decimal("hundred", 100.0));
    json.addProperty("negativeZero", LoadReport.decimal("negativeZero", -0.0));
    json.addProperty("half", LoadReport.decimal("half", 0.0005));
    assertEquals("{\"d\":84.3,\"z\":12,\"third\":0.333,\"hundred\":100,\"negativeZero\":0,\"half\":0.001}",
        json.toString());
    assertThrows(IllegalArgumentException.class, () -> LoadReport.decimal("nan", Double.NaN));
  }
}
