package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One bank's customers, accounts and PIX keys, and the rules for changing them. Deterministic and single-threaded:
 * every method either changes state and records it in {@link #takeChanges()}, or throws a {@link Rejection.Rejected}
 * having changed nothing. Validation is a flat ladder in a fixed precedence, so one bad input always gets one answer.
 */
public final class Bank {
  static final Pattern LOGIN = Pattern.compile("[a-z0-9][a-z0-9._-]{2,31}");
  static final int MAX_NAME_LENGTH = 120;
  static final long FIRST_ACCOUNT_NUMBER = 1001;

  private final String id;
  private final Map<String, Customer> customers = new TreeMap<>();
  private final Map<String, String> loginByTaxId = new HashMap<>();
  private final Map<Long, Account> accounts = new TreeMap<>();
  private final PixKeyBook pixKeys = new PixKeyBook(this);
  private Changes changes = new Changes();
  private final AuditTrail auditTrail = new AuditTrail();
  private final Consents consents = new Consents();
  private long nextAccountNumber = FIRST_ACCOUNT_NUMBER;
  /** Wall-clock time as the I/O side last told it (epoch millis): consents expire by it. */
  private long nowMillis;

  public Bank(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** What changed since the last {@link #takeChanges}: package code records into it. */
  Changes changes() {
    return changes;
  }

  /** Hands out what changed since the last call, for one durable write, and starts recording afresh. */
  public Changes takeChanges() {
    Changes taken = changes;
    changes = new Changes();
    return taken;
  }

  /** Running deposit and withdrawal totals and recent applications, for audits. */
  public AuditTrail auditTrail() {
    return auditTrail;
  }

  /**
   * Time passes: the wall clock as epoch millis, told by the I/O side (the core reads no clock). It never goes back,
   * so a consent that expired stays expired.
   */
  public void advanceClock(long epochMillis) {
    nowMillis = Math.max(nowMillis, epochMillis);
  }

  public long nowMillis() {
    return nowMillis;
  }

  // ---- recovery: load stored state without recording it as a change ----

  public void load(Customer customer) {
    customers.put(customer.login(), customer);
    loginByTaxId.put(customer.taxId(), customer.login());
  }

  public void load(Account account) {
    checkArgument(account.id().bank().equals(id), "account %s is not %s's", account.id(), id);
    accounts.put(account.id().number(), account);
    nextAccountNumber = Math.max(nextAccountNumber, account.id().number() + 1);
  }

  public void load(PixKey key) {
    pixKeys.load(key);
  }

  public void load(Consent consent) {
    consents.load(consent);
  }

  // ---- customers ----

  /**
   * Checks a new customer's fields that need no state, in precedence order: name, tax id, login. Returns the tax id's
   * digits. Run before the (slow) password hash, so a bad request fails fast.
   */
  public static String checkNewCustomer(String name, CustomerKind kind, String rawTaxId, String login) {
    Text.name(name, "name", MAX_NAME_LENGTH);
    if (kind == null) {
      throw Rejection.of(Reason.INVALID_TAX_ID, "cpf", "give exactly one of cpf (a person) or cnpj (a company)")
          .toException();
    }
    String taxId = kind == CustomerKind.INDIVIDUAL ? TaxIds.cpf(rawTaxId, "cpf") : TaxIds.cnpj(rawTaxId, "cnpj");
    Text.requireClean(login, Reason.INVALID_LOGIN, "login", "the login");
    if (login == null || !LOGIN.matcher(login).matches()) {
      throw Rejection.of(Reason.INVALID_LOGIN, "login",
          "login must be 3 to 32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
          .toException();
    }
    return taxId;
  }

  /**
   * Registers a customer whose fields passed {@link #checkNewCustomer}; refuses a taken login or tax id. The name is
   * stored in its normal form (NFC, no surrounding spaces).
   */
  public Customer createCustomer(String name, CustomerKind kind, String taxId, String login, String passwordHash) {
    if (customers.containsKey(login)) {
      throw Rejection.of(Reason.LOGIN_TAKEN, "login", "login '" + login + "' is taken at bank " + id).toException();
    }
    if (loginByTaxId.containsKey(taxId)) {
      throw Rejection.of(Reason.TAX_ID_TAKEN, kind == CustomerKind.INDIVIDUAL ? "cpf" : "cnpj",
          "this " + (kind == CustomerKind.INDIVIDUAL ? "CPF" : "CNPJ") + " is already a customer of bank " + id)
          .toException();
    }
    Customer customer = new Customer(login, Text.name(name, "name", MAX_NAME_LENGTH), kind, taxId, passwordHash);
    load(customer);
    changes.customer(customer);
    return customer;
  }

  public Customer customer(String login, String field) {
    Customer c = customers.get(login);
    if (c == null) {
      throw Rejection.of(Reason.CUSTOMER_NOT_FOUND, field, "no customer '" + Text.quote(login) + "' at bank " + id)
          .toException();
    }
    return c;
  }

  /** The customer with this login, or null. */
  public Customer findCustomer(String login) {
    return customers.get(login);
  }

  /** Customers in login order, starting after {@code afterLogin} (exclusive; "" for the first page). */
  public List<Customer> customers(String afterLogin, int limit) {
    var out = new ArrayList<Customer>();
    for (Customer c : ((TreeMap<String, Customer>) customers).tailMap(afterLogin, false).values()) {
      if (out.size() == limit) {
        break;
      }
      out.add(c);
    }
    return out;
  }

  /** The principal of a customer signed in here. */
  public Principal principal(String login) {
    return new Principal(id, customer(login, "login").login());
  }

  // ---- accounts ----

  /** Opens an account held by {@code login}: individual and joint accounts for people, business for companies. */
  public Account openAccount(String login, AccountKind kind) {
    Customer owner = customer(login, "login");
    boolean forCompany = kind == AccountKind.BUSINESS;
    if (forCompany != (owner.kind() == CustomerKind.COMPANY)) {
      throw Rejection.of(Reason.WRONG_CUSTOMER_KIND, "kind", forCompany
          ? "only a company (CNPJ) may open a business account"
          : "a company opens business accounts, not " + kind.name().toLowerCase(java.util.Locale.ROOT) + " ones").toException();
    }
    var account = new Account(new AccountId(id, nextAccountNumber), kind, List.of(login), List.of(), 0, 0);
    load(account);
    changes.account(account);
    return account;
  }

  /** The account, if it exists here; refuses with ACCOUNT_NOT_FOUND otherwise. */
  public Account account(AccountId accountId, String field) {
    Account a = accountId.bank().equals(id) ? accounts.get(accountId.number()) : null;
    if (a == null) {
      throw Rejection.of(Reason.ACCOUNT_NOT_FOUND, field, "no account " + accountId + " at bank " + id)
          .with("account", accountId.toString()).toException();
    }
    return a;
  }

  /** The account, if {@code principal} holds it or works for the company that does. */
  public Account accountOf(Principal principal, AccountId accountId, String field) {
    Account a = account(accountId, field);
    if (!operates(principal, a)) {
      throw Rejection.of(Reason.NOT_ACCOUNT_HOLDER, field,
          principal.login() + " is not a holder of account " + accountId).with("account", accountId.toString())
          .toException();
    }
    return a;
  }

  /**
   * Whether {@code principal}, signed in at this bank, holds {@code account} or is one of its employees. A principal
   * of another bank operates nothing here, whatever tax id it registered there: it needs a {@link Consent}.
   */
  public boolean operates(Principal principal, Account account) {
    return principal.bank().equals(id) && account.hasMember(principal.login());
  }

  /**
   * Who may debit {@code account} for {@code principal}: a holder or employee signed in here (null: no consent
   * needed), or a principal of another bank with a live, unexpired consent (returned). Refuses NOT_ACCOUNT_HOLDER,
   * CONSENT_REQUIRED or CONSENT_EXPIRED naming the account. Limits are the caller's to check: they depend on the
   * whole transaction.
   */
  Consent authority(Principal principal, Account account, String field) {
    if (principal.bank().equals(id)) {
      if (!operates(principal, account)) {
        throw Rejection.of(Reason.NOT_ACCOUNT_HOLDER, field, principal.login() + " is not a holder of account "
            + account.id()).with("account", account.id().toString()).toException();
      }
      return null;
    }
    Consent consent = consents.live(account.id(), principal);
    if (consent == null) {
      throw Rejection.of(Reason.CONSENT_REQUIRED, field, principal.qualified() + " may not debit " + account.id()
          + ": a holder must grant a consent at bank " + id + " first").with("account", account.id().toString())
          .with("grantee", principal.qualified()).toException();
    }
    if (consent.expiredAt(nowMillis)) {
      throw Rejection.of(Reason.CONSENT_EXPIRED, field, "consent " + consent.id() + " for " + principal.qualified()
          + " to debit " + account.id() + " expired; a holder may grant a new one")
          .with("account", account.id().toString()).with("consent_id", Long.toString(consent.id())).toException();
    }
    return consent;
  }

  /** How many consents this bank holds in force now: neither revoked, replaced nor expired (a gauge). */
  public int consentsInForce() {
    return consents.inForceAt(nowMillis);
  }

  /** The consent with this id (the one behind a reservation's debit): it exists, consents are never removed. */
  public Consent consent(long consentId) {
    return consents.get(consentId);
  }

  void recordConsent(Consent consent) {
    changes.consent(consent);
  }

  // ---- consents: what holders grant to customers of other banks ----

  /**
   * A holder of {@code accountId} lets {@code grantee}, a customer of another bank, debit it (DESIGN §3). Checks in
   * order: the account and that the caller holds it, the grantee's bank, the limits, the expiry. A grant to the same
   * grantee replaces the earlier one.
   */
  public Consent grantConsent(Principal holder, AccountId accountId, Principal grantee, long limitPerTransactionCents,
      long totalLimitCents, long expiresAtMillis) {
    Account a = holderOf(holder, accountId);
    if (grantee.bank().equals(id)) {
      throw Rejection.of(Reason.INVALID_GRANTEE, "grantee", "a consent is for a customer of another bank; within "
          + "bank " + id + " add a joint holder or an employee instead").toException();
    }
    Consent previous = consents.live(a.id(), grantee);
    Consent c = consents.grant(a.id(), grantee, holder.login(), limitPerTransactionCents, totalLimitCents,
        expiresAtMillis, nowMillis);
    if (previous != null) {
      changes.consent(previous);
    }
    changes.consent(c);
    return c;
  }

  /** A holder of {@code accountId} ends {@code grantee}'s consent on it. */
  public Consent revokeConsent(Principal holder, AccountId accountId, Principal grantee) {
    Account a = holderOf(holder, accountId);
    Consent c = consents.revoke(a.id(), grantee);
    changes.consent(c);
    return c;
  }

  /** The consents on an account the principal operates, newest first. */
  public List<Consent> consentsOf(Principal principal, AccountId accountId) {
    return consents.of(accountOf(principal, accountId, "account").id());
  }

  private Account holderOf(Principal principal, AccountId accountId) {
    Account a = accountOf(principal, accountId, "account");
    if (!a.holders().contains(principal.login())) {
      throw Rejection.of(Reason.NOT_ACCOUNT_HOLDER, "account", "only a holder of account " + accountId
          + " may grant or revoke its consents; " + principal.login() + " is an employee")
          .with("account", accountId.toString()).toException();
    }
    return a;
  }

  /** Accounts {@code principal} holds or works for, in number order. */
  public List<Account> accountsOf(Principal principal) {
    return accounts.values().stream().filter(a -> operates(principal, a)).toList();
  }

  public Iterable<Account> accounts() {
    return accounts.values();
  }

  /** Adds an individual holder to a JOINT account; only the primary holder may. */
  public Account addHolder(Principal principal, AccountId accountId, String login) {
    Account a = membershipChange(principal, accountId, AccountKind.JOINT, login);
    a.addHolder(login);
    changes.account(a);
    return a;
  }

  /** Adds an individual as employee of a BUSINESS account; only the company may. */
  public Account addEmployee(Principal principal, AccountId accountId, String login) {
    Account a = membershipChange(principal, accountId, AccountKind.BUSINESS, login);
    a.addEmployee(login);
    changes.account(a);
    return a;
  }

  private Account membershipChange(Principal principal, AccountId accountId, AccountKind wanted, String login) {
    Account a = accountOf(principal, accountId, "account");
    if (a.kind() != wanted) {
      throw Rejection.of(Reason.WRONG_ACCOUNT_KIND, "account", "account " + accountId + " is "
          + a.kind().name().toLowerCase(java.util.Locale.ROOT) + "; only " + wanted.name().toLowerCase(java.util.Locale.ROOT) + " accounts take "
          + (wanted == AccountKind.JOINT ? "more holders" : "employees")).toException();
    }
    if (!a.primaryHolder().equals(principal.login())) {
      throw Rejection.of(Reason.NOT_PRIMARY_HOLDER, "account",
          "only " + a.primaryHolder() + " may add people to account " + accountId).toException();
    }
    Text.requireClean(login, Reason.INVALID_LOGIN, "login", "the login");
    Customer newcomer = customer(login, "login");
    if (newcomer.kind() != CustomerKind.INDIVIDUAL) {
      throw Rejection.of(Reason.WRONG_CUSTOMER_KIND, "login", login + " is a company; only people can be added")
          .toException();
    }
    if (a.hasMember(login)) {
      throw Rejection.of(Reason.ALREADY_MEMBER, "login", login + " already operates account " + accountId)
          .toException();
    }
    return a;
  }

  // ---- PIX keys ----

  /**
   * Registers a PIX key for one of the principal's accounts. An EVP key's value is generated by the caller (the bank's
   * I/O side owns randomness) and passed in {@code generatedEvp}; a client-given EVP value is refused.
   */
  public PixKey addPixKey(Principal principal, AccountId accountId, PixKeyType type, String rawValue,
      String generatedEvp) {
    return pixKeys.add(principal, accountId, type, rawValue, generatedEvp);
  }

  /** Removes one of the account's keys; the value may be given in any accepted form. */
  public PixKey removePixKey(Principal principal, AccountId accountId, String rawValue) {
    return pixKeys.remove(principal, accountId, rawValue);
  }

  public List<PixKey> pixKeysOf(AccountId accountId) {
    return pixKeys.of(accountId);
  }

  /** Finds a key by any of its accepted spellings (a CPF with punctuation, an e-mail in capitals), or null. */
  public PixKey lookUpPixKey(String rawValue) {
    return pixKeys.lookUpPixKey(rawValue);
  }

  /** The account a credit to {@code destination} lands in, or a refusal naming the leg. */
  Account resolve(Destination destination, String field) {
    return pixKeys.resolve(destination, field);
  }

  void recordPosting(Account account) {
    changes.account(account);
  }

  void recordEntry(LedgerEntry entry) {
    changes.entry(entry);
  }
}
