package dev.distribank.node.ledger;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One bank's customers, accounts and PIX keys, and the rules for changing them. Deterministic and single-threaded:
 * every method either changes state and records it in {@link #changes()}, or throws a {@link Rejection.Rejected}
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
  private final Map<String, PixKey> pixKeys = new HashMap<>();
  private final Changes changes = new Changes();
  private final AuditTrail auditTrail = new AuditTrail();
  private long nextAccountNumber = FIRST_ACCOUNT_NUMBER;

  public Bank(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public Changes changes() {
    return changes;
  }

  /** Running deposit and withdrawal totals and recent applications, for audits. */
  public AuditTrail auditTrail() {
    return auditTrail;
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
    pixKeys.put(key.value(), key);
  }

  // ---- customers ----

  /**
   * Checks a new customer's fields that need no state, in precedence order: name, tax id, login. Returns the tax id's
   * digits. Run before the (slow) password hash, so a bad request fails fast.
   */
  public static String checkNewCustomer(String name, CustomerKind kind, String rawTaxId, String login) {
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw Rejection.of(Reason.INVALID_NAME, "name",
          "name must have 1 to " + MAX_NAME_LENGTH + " characters").toException();
    }
    if (kind == null) {
      throw Rejection.of(Reason.INVALID_TAX_ID, "cpf", "give exactly one of cpf (a person) or cnpj (a company)")
          .toException();
    }
    String taxId = kind == CustomerKind.INDIVIDUAL ? TaxIds.cpf(rawTaxId, "cpf") : TaxIds.cnpj(rawTaxId, "cnpj");
    if (login == null || !LOGIN.matcher(login).matches()) {
      throw Rejection.of(Reason.INVALID_LOGIN, "login",
          "login must be 3 to 32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
          .toException();
    }
    return taxId;
  }

  /** Registers a customer whose fields passed {@link #checkNewCustomer}; refuses a taken login or tax id. */
  public Customer createCustomer(String name, CustomerKind kind, String taxId, String login, String passwordHash) {
    if (customers.containsKey(login)) {
      throw Rejection.of(Reason.LOGIN_TAKEN, "login", "login '" + login + "' is taken at bank " + id).toException();
    }
    if (loginByTaxId.containsKey(taxId)) {
      throw Rejection.of(Reason.TAX_ID_TAKEN, kind == CustomerKind.INDIVIDUAL ? "cpf" : "cnpj",
          "this " + (kind == CustomerKind.INDIVIDUAL ? "CPF" : "CNPJ") + " is already a customer of bank " + id)
          .toException();
    }
    Customer customer = new Customer(login, name.strip(), kind, taxId, passwordHash);
    load(customer);
    changes.customer(customer);
    return customer;
  }

  public Customer customer(String login, String field) {
    Customer c = customers.get(login);
    if (c == null) {
      throw Rejection.of(Reason.CUSTOMER_NOT_FOUND, field, "no customer '" + login + "' at bank " + id)
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

  public Principal principal(String login) {
    return new Principal(id, login, customer(login, "login").taxId());
  }

  // ---- accounts ----

  /** Opens an account held by {@code login}: individual and joint accounts for people, business for companies. */
  public Account openAccount(String login, AccountKind kind) {
    Customer owner = customer(login, "login");
    boolean forCompany = kind == AccountKind.BUSINESS;
    if (forCompany != (owner.kind() == CustomerKind.COMPANY)) {
      throw Rejection.of(Reason.WRONG_CUSTOMER_KIND, "kind", forCompany
          ? "only a company (CNPJ) may open a business account"
          : "a company opens business accounts, not " + kind.name().toLowerCase() + " ones").toException();
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

  /** Whether the person or company behind {@code principal} holds {@code account} or is one of its employees. */
  public boolean operates(Principal principal, Account account) {
    for (String login : account.holders()) {
      if (customers.get(login).taxId().equals(principal.taxId())) {
        return true;
      }
    }
    for (String login : account.employees()) {
      if (customers.get(login).taxId().equals(principal.taxId())) {
        return true;
      }
    }
    return false;
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
          + a.kind().name().toLowerCase() + "; only " + wanted.name().toLowerCase() + " accounts take "
          + (wanted == AccountKind.JOINT ? "more holders" : "employees")).toException();
    }
    if (!a.primaryHolder().equals(principal.login())) {
      throw Rejection.of(Reason.NOT_PRIMARY_HOLDER, "account",
          "only " + a.primaryHolder() + " may add people to account " + accountId).toException();
    }
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
    Account a = accountOf(principal, accountId, "account");
    if (type == null) {
      throw Rejection.of(Reason.INVALID_PIX_KEY_TYPE, "type", "type must be one of CPF, CNPJ, EMAIL, PHONE, EVP")
          .toException();
    }
    if (type == PixKeyType.EVP && rawValue != null && !rawValue.isEmpty()) {
      throw Rejection.of(Reason.INVALID_EVP, "value", "EVP keys are generated by the bank; leave value empty")
          .toException();
    }
    String value = PixKeys.normalize(type, type == PixKeyType.EVP ? generatedEvp : rawValue, "value");
    if ((type == PixKeyType.CPF || type == PixKeyType.CNPJ) && !ownedTaxId(a, value)) {
      throw Rejection.of(Reason.PIX_KEY_NOT_OWNED, "value",
          "a " + type + " key must be the " + type + " of one of the account's holders").toException();
    }
    if (pixKeys.containsKey(value)) {
      throw Rejection.of(Reason.PIX_KEY_TAKEN, "value", "PIX key '" + value + "' is already registered at bank " + id)
          .toException();
    }
    if (pixKeysOf(accountId).size() >= a.kind().maxPixKeys()) {
      throw Rejection.of(Reason.TOO_MANY_PIX_KEYS, "account", "a " + a.kind().name().toLowerCase()
          + " account has at most " + a.kind().maxPixKeys() + " PIX keys").toException();
    }
    var key = new PixKey(type, value, accountId);
    pixKeys.put(value, key);
    changes.pixKeyPut(key);
    return key;
  }

  private boolean ownedTaxId(Account a, String taxId) {
    return a.holders().stream().anyMatch(login -> customers.get(login).taxId().equals(taxId));
  }

  /** Removes one of the account's keys; the value may be given in any accepted form. */
  public PixKey removePixKey(Principal principal, AccountId accountId, String rawValue) {
    accountOf(principal, accountId, "account");
    PixKey key = lookUpPixKey(rawValue);
    if (key == null || !key.account().equals(accountId)) {
      throw Rejection.of(Reason.PIX_KEY_NOT_FOUND, "value",
          "account " + accountId + " has no PIX key '" + AccountId.abbreviate(rawValue) + "'").toException();
    }
    pixKeys.remove(key.value());
    changes.pixKeyDeleted(key.value());
    return key;
  }

  public List<PixKey> pixKeysOf(AccountId accountId) {
    return pixKeys.values().stream().filter(k -> k.account().equals(accountId))
        .sorted(java.util.Comparator.comparing(PixKey::value)).toList();
  }

  /** Finds a key by any of its accepted spellings (a CPF with punctuation, an e-mail in capitals), or null. */
  public PixKey lookUpPixKey(String rawValue) {
    if (rawValue == null) {
      return null;
    }
    PixKey exact = pixKeys.get(rawValue.trim());
    if (exact != null) {
      return exact;
    }
    for (PixKeyType type : PixKeyType.values()) {
      try {
        PixKey k = pixKeys.get(PixKeys.normalize(type, rawValue, "value"));
        if (k != null) {
          return k;
        }
      } catch (Rejection.Rejected notThisType) {
        // try the next type: a value is valid as at most one or two of them
      }
    }
    return null;
  }

  /** The account a credit to {@code destination} lands in, or a refusal naming the leg. */
  Account resolve(Destination destination, String field) {
    return switch (destination) {
      case Destination.ToAccount(AccountId accountId) -> account(accountId, field);
      case Destination.ToPixKey(String bank, String key) -> {
        PixKey k = bank.equals(id) ? lookUpPixKey(key) : null;
        if (k == null) {
          throw Rejection.of(Reason.PIX_KEY_NOT_FOUND, field, "no PIX key '" + AccountId.abbreviate(key)
              + "' at bank " + bank).toException();
        }
        yield accounts.get(k.account().number());
      }
    };
  }

  void recordPosting(Account account) {
    changes.account(account);
  }

  void recordEntry(LedgerEntry entry) {
    changes.entry(entry);
  }
}
