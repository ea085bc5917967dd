package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.PixKeyType;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.testing.Cpfs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The simulated consortium's people, accounts, PIX keys and consents, and the random client transactions over them:
 * deposits, withdrawals, transfers (to accounts or PIX keys, across banks), debits of one person's accounts at several
 * banks (authorised by the consents that person granted at each, some with limits and expiries, some never granted),
 * overdrafts, legs that can never pass (someone else's account, an unknown account or key, a debit with no consent),
 * hostile strangers (a customer registered at another bank with a victim's CPF, or with a victim's login, who tries to
 * debit the victim), banks outside the consortium, and request ids that repeat an earlier one with the same legs (a
 * retry) or other legs (a reuse).
 */
final class SimulatedWorkload {
  static final String OUTSIDER_BANK = "nowhere";
  private static final String[] NAMES = {"ana", "bruno", "carla", "diego", "elisa", "fabio", "gina"};

  /** One person (one CPF), a customer at one or more banks, maybe under a different login at each. */
  record Person(String name, String taxId, Map<String, String> loginByBank) {
    Principal at(String bank) {
      return new Principal(bank, loginByBank.get(bank));
    }
  }

  /**
   * A hostile customer: signed up at {@code principal.bank()} (where the victim is no customer) with the victim's CPF
   * or the victim's login at another bank, and owning nothing. Every debit it asks for must be refused.
   */
  record Stranger(Principal principal, Person victim) {}

  /** An account, whose person holds it, and its PIX e-mail key (null when it has none). */
  record Holding(AccountId account, Person owner, String pixKey) {}

  /** How a submission relates to earlier ones. */
  enum Kind { FRESH, RETRY, REUSE }

  /**
   * What must become of a transaction whatever the interleaving (COMMIT: unless a vote timed out or a bank went
   * down); ANY when it depends on the order of events.
   */
  enum Expect { ANY, COMMIT, ABORT, BANK_NOT_FOUND }

  /** A client request as sent to {@code coordinator}; {@code original} is the FRESH one a RETRY or REUSE repeats. */
  record Submission(long tag, String coordinator, Principal principal, List<Leg> legs, String requestId, Kind kind,
      Submission original, Expect expect) {}

  private record GeneratedLeg(Leg leg, boolean neverPasses) {}

  private final Random random;
  private final List<String> banks;
  private final List<Person> people = new ArrayList<>();
  private final List<Holding> holdings = new ArrayList<>();
  private final Map<String, List<Submission>> repeatableByCoordinator = new HashMap<>();
  private final List<Stranger> strangers = new ArrayList<>();
  /** {@code account|bank:login} of every consent granted; a debit by another bank's principal needs one. */
  private final java.util.Set<String> consents = new java.util.HashSet<>();
  private long nextRequest;

  SimulatedWorkload(Random random, Map<String, Bank> banksById) {
    this.random = random;
    this.banks = List.copyOf(banksById.keySet());
    enrol(banksById);
    openAccounts(banksById);
    grantConsents(banksById);
    enrolStrangers(banksById);
  }

  List<Holding> holdings() {
    return holdings;
  }

  /** The account a destination names: an account id, or the account a PIX key is registered for (any spelling). */
  AccountId resolve(Destination to) {
    return switch (to) {
      case Destination.ToAccount(AccountId account) -> account;
      case Destination.ToPixKey(String bank, String key) -> holdings.stream()
          .filter(h -> h.account().bank().equals(bank) && key.equalsIgnoreCase(h.pixKey()))
          .map(Holding::account).findFirst().orElseThrow();
    };
  }

  /** The funding deposit that opens the run for one account, submitted at the account's own bank. */
  Submission funding(long tag, Holding h) {
    var legs = List.of(Leg.deposit(h.account(), 1_000 + random.nextInt(20_000)));
    return new Submission(tag, h.account().bank(), h.owner().at(h.account().bank()), legs, nextRequestId(),
        Kind.FRESH, null, Expect.COMMIT);
  }

  /** A random client request at a random bank. */
  Submission next(long tag) {
    return next(tag, banks.get(random.nextInt(banks.size())));
  }

  /** A random client request sent to {@code coordinator} (as {@link #next(long)}, at a bank of the caller's choice). */
  Submission next(long tag, String coordinator) {
    List<Submission> repeatable = repeatableByCoordinator.getOrDefault(coordinator, List.of());
    if (!repeatable.isEmpty() && random.nextInt(100) < 12) {
      return repeat(tag, repeatable.get(random.nextInt(repeatable.size())));
    }
    if (!strangers.isEmpty() && random.nextInt(100) < 6) {
      return fromStranger(tag, strangers.get(random.nextInt(strangers.size())));
    }
    Principal principal = payerAt(coordinator).at(coordinator);
    if (random.nextInt(100) < 2) {
      // A leg at a bank outside the consortium: refused before any bank is asked, so no id to remember it by.
      var legs = List.of(Leg.deposit(new AccountId(OUTSIDER_BANK, 1001), 100));
      return new Submission(tag, coordinator, principal, legs, "", Kind.FRESH, null, Expect.BANK_NOT_FOUND);
    }
    var legs = new ArrayList<GeneratedLeg>();
    int count = 1 + random.nextInt(6);
    for (int i = 0; i < count; i++) {
      legs.add(leg(person(principal), coordinator));
    }
    List<Leg> plain = legs.stream().map(GeneratedLeg::leg).toList();
    Expect expect = expect(legs);
    String requestId = random.nextInt(100) < 15 ? "" : nextRequestId();
    var s = new Submission(tag, coordinator, principal, plain, requestId, Kind.FRESH, null, expect);
    if (!requestId.isEmpty()) {
      repeatableByCoordinator.computeIfAbsent(coordinator, c -> new ArrayList<>()).add(s);
    }
    return s;
  }

  /** The same request id again at the same bank: mostly a true retry, sometimes other legs (a client bug). */
  private Submission repeat(long tag, Submission first) {
    if (random.nextInt(100) < 65) {
      return new Submission(tag, first.coordinator(), first.principal(), first.legs(), first.requestId(),
          Kind.RETRY, first, first.expect());
    }
    Principal principal = random.nextBoolean() ? first.principal() : payerAt(first.coordinator())
        .at(first.coordinator());
    var legs = new ArrayList<GeneratedLeg>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      legs.add(leg(person(principal), first.coordinator()));
    }
    List<Leg> plain = legs.stream().map(GeneratedLeg::leg).toList();
    boolean same = principal.equals(first.principal()) && plain.equals(first.legs());
    // A reuse is refused, unless a crash made its coordinator forget the id: then it runs, and its legs decide.
    return new Submission(tag, first.coordinator(), principal, plain, first.requestId(),
        same ? Kind.RETRY : Kind.REUSE, first, same ? first.expect() : expect(legs));
  }

  private static Expect expect(List<GeneratedLeg> legs) {
    if (legs.stream().anyMatch(GeneratedLeg::neverPasses)) {
      return Expect.ABORT;
    }
    return legs.stream().allMatch(l -> l.leg().kind() == Leg.Kind.DEPOSIT) ? Expect.COMMIT : Expect.ANY;
  }

  /**
   * A leg {@code payer}, signed in at {@code coordinator}, sends. A debit of the payer's own account at another bank
   * never passes unless the payer granted their login at the coordinator a consent there.
   */
  private GeneratedLeg leg(Person payer, String coordinator) {
    List<Holding> own = holdings.stream().filter(h -> h.owner() == payer).toList();
    Holding from = own.get(random.nextInt(own.size()));
    boolean unauthorised = !from.account().bank().equals(coordinator)
        && !consents.contains(from.account() + "|" + payer.at(coordinator).qualified());
    int roll = random.nextInt(100);
    if (roll < 22) {
      return new GeneratedLeg(Leg.deposit(anyHolding().account(), amount()), false);
    }
    if (roll < 40) {
      return new GeneratedLeg(Leg.withdrawal(from.account(), amount()), unauthorised);
    }
    if (roll < 95) {
      Holding to = anyHolding();
      if (to == from) {
        return new GeneratedLeg(Leg.withdrawal(from.account(), amount()), unauthorised);
      }
      return new GeneratedLeg(Leg.transfer(from.account(), destination(to), amount()), unauthorised);
    }
    return neverPasses(payer, from);
  }

  /** A stranger debits its victim's accounts (at banks other than its own), to one of its own choosing. */
  private Submission fromStranger(long tag, Stranger stranger) {
    List<Holding> victims = holdings.stream().filter(h -> h.owner() == stranger.victim()).toList();
    var legs = new ArrayList<Leg>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      Holding from = victims.get(random.nextInt(victims.size()));
      Holding to = anyHolding();
      legs.add(to == from || random.nextInt(4) == 0 ? Leg.withdrawal(from.account(), amount())
          : Leg.transfer(from.account(), destination(to), amount()));
    }
    String requestId = random.nextBoolean() ? "" : nextRequestId();
    return new Submission(tag, stranger.principal().bank(), stranger.principal(), legs, requestId, Kind.FRESH, null,
        Expect.ABORT);
  }

  /** A leg its bank must refuse whatever the balances: someone else's account, an unknown account or PIX key. */
  private GeneratedLeg neverPasses(Person payer, Holding from) {
    String bank = banks.get(random.nextInt(banks.size()));
    List<Holding> others = holdings.stream().filter(h -> !h.owner().taxId().equals(payer.taxId())).toList();
    int roll = random.nextInt(3);
    if (roll == 0 && !others.isEmpty()) {
      Holding victim = others.get(random.nextInt(others.size()));
      return new GeneratedLeg(Leg.transfer(victim.account(), new Destination.ToAccount(from.account()), amount()),
          true);
    }
    if (roll == 1) {
      return new GeneratedLeg(Leg.transfer(from.account(), new Destination.ToPixKey(bank, "nobody@nowhere.example"),
          amount()), true);
    }
    return new GeneratedLeg(Leg.deposit(new AccountId(bank, 999_999), amount()), true);
  }

  private Destination destination(Holding to) {
    if (to.pixKey() != null && random.nextInt(100) < 30) {
      // Sometimes spelled in capitals: the owning bank normalises the key when it votes.
      String key = random.nextBoolean() ? to.pixKey() : to.pixKey().toUpperCase(Locale.ROOT);
      return new Destination.ToPixKey(to.account().bank(), key);
    }
    return new Destination.ToAccount(to.account());
  }

  /** Mostly amounts a balance covers; now and then more than any account holds (an overdraft to refuse). */
  private long amount() {
    int roll = random.nextInt(100);
    if (roll < 80) {
      return 1 + random.nextInt(2_000);
    }
    if (roll < 95) {
      return 2_000 + random.nextInt(20_000);
    }
    return 100_000 + random.nextInt(10_000_000);
  }

  private Holding anyHolding() {
    return holdings.get(random.nextInt(holdings.size()));
  }

  private Person payerAt(String bank) {
    List<Person> here = people.stream().filter(p -> p.loginByBank().containsKey(bank)).toList();
    return here.get(random.nextInt(here.size()));
  }

  private Person person(Principal principal) {
    return people.stream().filter(p -> principal.login().equals(p.loginByBank().get(principal.bank()))).findFirst()
        .orElseThrow();
  }

  private String nextRequestId() {
    nextRequest++;
    return "req-" + nextRequest;
  }

  // ---- setup ----

  /** Registers 2..6 people, each at a random set of banks (every bank gets at least one customer). */
  private void enrol(Map<String, Bank> banksById) {
    int count = 2 + random.nextInt(5);
    for (int i = 0; i < count; i++) {
      people.add(new Person(NAMES[i], Cpfs.cpf(123_456_100 + i), new LinkedHashMap<>()));
    }
    for (String bank : banks) {
      for (Person p : people) {
        if (random.nextInt(100) < 50) {
          register(banksById.get(bank), p);
        }
      }
      if (people.stream().noneMatch(p -> p.loginByBank().containsKey(bank))) {
        register(banksById.get(bank), people.get(random.nextInt(count)));
      }
    }
    people.removeIf(p -> p.loginByBank().isEmpty());
  }

  private void register(Bank bank, Person p) {
    // The same person may sign in with another login at each bank: banks recognise them by CPF.
    String login = random.nextBoolean() ? p.name() : p.name() + "." + bank.id();
    String taxId = Bank.checkNewCustomer(p.name() + " Silva", CustomerKind.INDIVIDUAL, p.taxId(), login);
    bank.createCustomer(p.name() + " Silva", CustomerKind.INDIVIDUAL, taxId, login, "hash");
    p.loginByBank().put(bank.id(), login);
  }

  /**
   * Each person grants, at each bank where they hold accounts, consents to their own logins at their other banks:
   * most accounts get one, some with a per-transaction or total limit, some with an expiry inside the run; some get
   * none, so debits from there stay refused.
   */
  private void grantConsents(Map<String, Bank> banksById) {
    for (Holding h : holdings) {
      Person owner = h.owner();
      String bank = h.account().bank();
      for (String other : owner.loginByBank().keySet()) {
        if (other.equals(bank) || random.nextInt(100) < 25) {
          continue;
        }
        boolean limited = random.nextBoolean();
        long perTransaction = limited && random.nextBoolean() ? 500 + random.nextInt(4_500) : 0;
        long total = limited && random.nextBoolean() ? 2_000 + random.nextInt(28_000) : 0;
        long expiresAt = random.nextInt(100) < 20 ? 1 + random.nextInt(30_000) : 0;
        Principal grantee = owner.at(other);
        banksById.get(bank).grantConsent(owner.at(bank), h.account(), grantee, perTransaction, total, expiresAt);
        consents.add(h.account() + "|" + grantee.qualified());
      }
    }
  }

  /**
   * Up to two strangers, each at a bank where its victim is no customer: one registered with the victim's CPF (a CPF
   * is unique only within a bank), one with the victim's login at another bank. Neither may debit the victim.
   */
  private void enrolStrangers(Map<String, Bank> banksById) {
    for (int i = 0; i < 2; i++) {
      Person victim = people.get(random.nextInt(people.size()));
      List<String> elsewhere = banks.stream().filter(b -> !victim.loginByBank().containsKey(b)).toList();
      if (elsewhere.isEmpty()) {
        continue;
      }
      Bank bank = banksById.get(elsewhere.get(random.nextInt(elsewhere.size())));
      String victimLogin = victim.loginByBank().values().iterator().next();
      String login = i == 0 ? "stranger" + i : victimLogin;
      if (bank.findCustomer(login) != null) {
        continue;
      }
      String taxId = i == 0 ? victim.taxId() : Cpfs.cpf(123_456_900 + i);
      bank.createCustomer("Mallory " + i, CustomerKind.INDIVIDUAL, taxId, login, "hash");
      strangers.add(new Stranger(new Principal(bank.id(), login), victim));
    }
  }

  /** Opens 1..2 accounts per person per bank; some get a PIX e-mail key. */
  private void openAccounts(Map<String, Bank> banksById) {
    for (Person p : people) {
      for (var e : p.loginByBank().entrySet()) {
        Bank bank = banksById.get(e.getKey());
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
          AccountId id = bank.openAccount(e.getValue(), AccountKind.INDIVIDUAL).id();
          String key = null;
          if (random.nextInt(100) < 40) {
            key = p.name() + "." + id.number() + "@" + bank.id() + ".example";
            bank.addPixKey(p.at(bank.id()), id, PixKeyType.EMAIL, key, null);
          }
          var h = new Holding(id, p, key);
          holdings.add(h);
        }
      }
    }
  }

  /** Whether {@code leg} moves money at one of {@code banks}. */
  static boolean touches(Leg leg, List<String> banks) {
    return leg.debits() && banks.contains(leg.from().bank()) || leg.credits() && banks.contains(leg.to().bank());
  }
}
