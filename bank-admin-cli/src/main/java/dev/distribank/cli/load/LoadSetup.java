package dev.distribank.cli.load;

import static com.google.common.base.Preconditions.checkArgument;

import dev.distribank.cli.BankConnection;
import dev.distribank.proto.bank.v1.Account;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.CreateCustomerRequest;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.ListAccountsRequest;
import dev.distribank.proto.bank.v1.LoginRequest;
import dev.distribank.proto.bank.v1.LoginResponse;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Prepares a load run: one person with a login at every target bank and N individual accounts at each, every one
 * holding at least the initial balance, and the consents that let this person, signed in at any target bank, debit
 * those accounts at every other one.
 *
 * <p>A principal is a login at a bank, so a session at bank C may debit an account at bank B only under a consent that
 * a holder granted at B to {@code C:login}; the same CPF at both banks proves nothing. After every bank is prepared,
 * setup therefore grants, at each bank, on each load account, a consent with no limits and no expiry to the load login
 * at every other target bank: every generated transaction is then authorised whichever bank coordinates it. That is
 * banks x accounts x (banks - 1) grants, one call each.
 *
 * <p>Everything is derived from the seed, so a second run with the same seed reuses the customer and the accounts
 * (CreateCustomer answers ALREADY_EXISTS, which is fine), only tops up the accounts that hold less than the initial
 * balance, and grants the consents again, each grant replacing the one of the earlier run.
 */
final class LoadSetup {
  /**
   * Times a deposit or a grant is sent again, as a new call, when its deadline passed; the channel's retry policy
   * already sends them again on UNAVAILABLE. Each may safely be repeated: a deposit carries its request id, and a grant
   * with no limits replaced by an equal one changes nothing.
   */
  private static final int DEADLINE_REPEATS = 2;

  /** The person a run acts as, derived from the seed so that a rerun finds it again. */
  record Identity(String login, String password, String cpf, String name) {
    static Identity of(long seed) {
      checkArgument(seed >= 0, "seed %s is negative", seed);
      // A password anyone can derive from the seed is fine: this customer exists only to generate load.
      return new Identity("load-" + seed, "load-" + seed + "-password", cpf(seed), "Load Generator " + seed);
    }

    /**
     * A valid CPF whose nine base digits come from the seed, skipping the one-repeated-digit numbers never issued. A
     * bank needs one to sign a person up; it authorises nothing across banks.
     */
    static String cpf(long seed) {
      long base = Math.floorMod(seed, 999_999_998L) + 1;
      String digits = String.format("%09d", base);
      if (digits.chars().distinct().count() == 1) {
        digits = String.format("%09d", base + 1);
      }
      int first = checkDigit(digits, 10);
      int second = checkDigit(digits + first, 11);
      return digits + first + second;
    }

    private static int checkDigit(String digits, int firstWeight) {
      int sum = 0;
      for (int i = 0; i < digits.length(); i++) {
        sum += (digits.charAt(i) - '0') * (firstWeight - i);
      }
      int r = sum % 11;
      return r < 2 ? 0 : 11 - r;
    }
  }

  /** One target bank as the run uses it: its connection, this person's session there, and the load accounts. */
  record Bank(String id, BankConnection connection, String sessionToken, List<String> accounts) {}

  /**
   * What setup left: every target bank, the sum of the load accounts' balances when the run starts, and how many
   * accounts it opened and consents it granted.
   */
  record Prepared(List<Bank> banks, long totalCents, long depositedCents, int openedAccounts, int grantedConsents) {}

  private final Identity identity;
  private final int accountsPerBank;
  private final long initialBalanceCents;
  private final Function<String, RuntimeException> misconfigured;

  /**
   * @param misconfigured makes the error thrown when a target turns out not to be the bank it was named as
   */
  LoadSetup(Identity identity, int accountsPerBank, long initialBalanceCents,
      Function<String, RuntimeException> misconfigured) {
    this.identity = identity;
    this.accountsPerBank = accountsPerBank;
    this.initialBalanceCents = initialBalanceCents;
    this.misconfigured = misconfigured;
  }

  /**
   * Signs up, logs in, opens and tops up accounts at every target, one bank after another, then grants the consents.
   */
  Prepared prepare(Map<String, BankConnection> targets) {
    var banks = new ArrayList<Bank>();
    long total = 0;
    long deposited = 0;
    int opened = 0;
    for (Map.Entry<String, BankConnection> target : targets.entrySet()) {
      BankConnection connection = target.getValue();
      String token = logIn(target.getKey(), connection);
      List<Account> accounts = accounts(connection, token);
      while (accounts.size() < accountsPerBank) {
        accounts.add(connection.bank(token).openAccount(OpenAccountRequest.newBuilder()
            .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount());
        opened++;
      }
      var ids = new ArrayList<String>();
      for (Account a : accounts) {
        long topUp = initialBalanceCents - a.getBalanceCents();
        if (topUp > 0) {
          deposit(connection, token, a.getAccount(), topUp);
          deposited += topUp;
        }
        total = Math.addExact(total, Math.max(a.getBalanceCents(), initialBalanceCents));
        ids.add(a.getAccount());
      }
      banks.add(new Bank(target.getKey(), connection, token, List.copyOf(ids)));
    }
    int granted = grantConsents(banks);
    return new Prepared(List.copyOf(banks), total, deposited, opened, granted);
  }

  /**
   * At each bank, on each load account there, a consent with no limits and no expiry to the load login at every other
   * target bank. Only once every bank is prepared: a grantee must be a login of another consortium bank, so its
   * customer is created first.
   *
   * @return how many consents were granted
   */
  private int grantConsents(List<Bank> banks) {
    int granted = 0;
    for (Bank at : banks) {
      for (String account : at.accounts()) {
        for (Bank grantee : banks) {
          if (grantee == at) {
            continue; // at its own bank the person holds the account and needs no consent
          }
          var request = GrantConsentRequest.newBuilder().setAccount(account)
              .setGrantee(grantee.id() + ":" + identity.login()).build();
          DeadlineRepeat.call(DEADLINE_REPEATS, () -> { },
              () -> at.connection().bank(at.sessionToken()).grantConsent(request));
          granted++;
        }
      }
    }
    return granted;
  }

  /** Creates the customer unless it exists, logs in, and checks that the target is the bank it was named as. */
  private String logIn(String bank, BankConnection connection) {
    try {
      connection.bank("").createCustomer(CreateCustomerRequest.newBuilder().setName(identity.name())
          .setCpf(identity.cpf()).setLogin(identity.login()).setPassword(identity.password()).build());
    } catch (StatusRuntimeException e) {
      // A rerun with the same seed: the customer is there already, and logging in proves it is ours.
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
    LoginResponse login = connection.bank("").login(LoginRequest.newBuilder().setLogin(identity.login())
        .setPassword(identity.password()).build());
    String actual = login.getCustomer().getBank();
    if (!actual.isEmpty() && !actual.equals(bank)) {
      throw misconfigured.apply("--targets names " + bank + ", but that address is bank " + actual);
    }
    return login.getToken();
  }

  /** This person's individual accounts at the bank, oldest first, at most {@code accountsPerBank} of them. */
  private List<Account> accounts(BankConnection connection, String token) {
    return new ArrayList<>(connection.bank(token).listAccounts(ListAccountsRequest.getDefaultInstance())
        .getAccountsList().stream().filter(a -> a.getKind() == AccountKind.ACCOUNT_KIND_INDIVIDUAL)
        .sorted(Comparator.comparing(Account::getAccount, Comparator.comparingInt(String::length)
            .thenComparing(Comparator.naturalOrder())))
        .limit(accountsPerBank).toList());
  }

  /** A deposit with one request id, so that repeating it on a lost answer cannot apply it twice. */
  private static void deposit(BankConnection connection, String token, String account, long cents) {
    var request = DepositRequest.newBuilder().setAccount(account).setAmountCents(cents)
        .setRequestId(UUID.randomUUID().toString()).build();
    DeadlineRepeat.call(DEADLINE_REPEATS, () -> { }, () -> connection.bank(token).deposit(request));
  }
}
