package dev.distribank.cli.load;

import static com.google.common.base.Preconditions.checkArgument;

import dev.distribank.cli.text.Money;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random transfers of a load run: which bank coordinates, how many legs, which accounts, how much.
 *
 * <p>Every transaction is coordinated by a random target bank and its first leg debits a load account at that bank,
 * the way a customer pays from the bank they are logged in to. With probability {@code multiLegRatio} it has 2 to 4
 * legs, else one. With probability {@code crossBankRatio} (and more than one bank) its other accounts are drawn from
 * every bank and at least one leg crosses to another bank; otherwise all its accounts are at the coordinator. With
 * probability {@code overdraftRatio} its first leg asks for more than all load accounts hold together, so the bank must
 * refuse it with INSUFFICIENT_FUNDS; other legs move 0.01 up to a twentieth of the initial balance, divided by the
 * batch size: a batch's transfers are in flight together, each holding its debit, so a batch of N holds about what
 * one transfer of the unary mix would, rather than N times as much (which would overdraw the accounts and measure
 * refusals instead of transfers).
 */
final class LoadMix {
  /** The most legs one generated transaction has. */
  static final int MAX_LEGS = 4;

  /** One generated transaction: the bank to send it to, and its legs. */
  record Planned(LoadSetup.Bank coordinator, List<Leg> legs, boolean overdraft) {}

  private final List<LoadSetup.Bank> banks;
  // Probabilities of the mix, not money: amounts are long centavos throughout.
  private final double crossBankRatio;
  private final double multiLegRatio;
  private final double overdraftRatio;
  private final long maxLegCents;
  private final long overdraftCents;

  /** The mix of transfers sent one per call. */
  LoadMix(List<LoadSetup.Bank> banks, double crossBankRatio, double multiLegRatio, double overdraftRatio,
      long initialBalanceCents, long totalCents) {
    this(banks, crossBankRatio, multiLegRatio, overdraftRatio, initialBalanceCents, totalCents, 1);
  }

  /**
   * @param totalCents what all load accounts hold together at the start; transfers among them never change it
   * @param batchSize how many transfers a call sends together
   */
  LoadMix(List<LoadSetup.Bank> banks, double crossBankRatio, double multiLegRatio, double overdraftRatio,
      long initialBalanceCents, long totalCents, int batchSize) {
    checkArgument(!banks.isEmpty(), "no banks");
    checkArgument(banks.stream().allMatch(b -> b.accounts().size() >= 2), "every bank needs two load accounts");
    this.banks = List.copyOf(banks);
    this.crossBankRatio = crossBankRatio;
    this.multiLegRatio = multiLegRatio;
    this.overdraftRatio = overdraftRatio;
    checkArgument(batchSize >= 1, "batch size %s", batchSize);
    this.maxLegCents = Math.max(1, initialBalanceCents / 20 / batchSize);
    // More than every load account holds together, so no interleaving of other transfers can make it succeed.
    this.overdraftCents = Math.min(Money.MAX_AMOUNT_CENTS, Math.addExact(totalCents, 1));
  }

  /** A transaction coordinated by a random bank. */
  Planned next(SplittableRandom random) {
    return next(random, coordinator(random));
  }

  /** A random bank to coordinate: the one a batch's transactions share. */
  LoadSetup.Bank coordinator(SplittableRandom random) {
    return pick(random);
  }

  /** A transaction coordinated by {@code coordinator}, its first leg debiting an account there. */
  Planned next(SplittableRandom random, LoadSetup.Bank coordinator) {
    int legCount = random.nextDouble() < multiLegRatio ? 2 + random.nextInt(MAX_LEGS - 1) : 1;
    boolean cross = banks.size() > 1 && random.nextDouble() < crossBankRatio;
    boolean overdraft = random.nextDouble() < overdraftRatio;
    var legs = new ArrayList<Leg>(legCount);
    boolean crossed = false;
    for (int i = 0; i < legCount; i++) {
      LoadSetup.Bank fromBank = i == 0 || !cross ? coordinator : pick(random);
      LoadSetup.Bank toBank = cross ? pick(random) : coordinator;
      if (cross && i == legCount - 1 && !crossed && fromBank == coordinator && toBank == coordinator) {
        // A cross-bank transaction must touch another bank: send its last credit elsewhere.
        toBank = other(random, coordinator);
      }
      crossed |= fromBank != coordinator || toBank != coordinator;
      String from = pickAccount(random, fromBank, null);
      String to = pickAccount(random, toBank, from);
      long cents = overdraft && i == 0 ? overdraftCents : 1 + random.nextLong(maxLegCents);
      legs.add(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to)
          .setAmountCents(cents).build());
    }
    return new Planned(coordinator, List.copyOf(legs), overdraft);
  }

  private LoadSetup.Bank pick(SplittableRandom random) {
    return banks.get(random.nextInt(banks.size()));
  }

  private LoadSetup.Bank other(SplittableRandom random, LoadSetup.Bank not) {
    int i = random.nextInt(banks.size() - 1);
    LoadSetup.Bank b = banks.get(i);
    return b == not ? banks.get(banks.size() - 1) : b;
  }

  /** A random account of {@code bank} other than {@code not}: a transfer to itself is refused as INVALID_LEG. */
  private static String pickAccount(SplittableRandom random, LoadSetup.Bank bank, String not) {
    List<String> accounts = bank.accounts();
    String a = accounts.get(random.nextInt(accounts.size()));
    return a.equals(not) ? accounts.get((accounts.indexOf(a) + 1) % accounts.size()) : a;
  }
}
