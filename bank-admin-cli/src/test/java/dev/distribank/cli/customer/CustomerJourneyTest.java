package dev.distribank.cli.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.Cli;
import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.proto.bank.v1.AddPixKeyResponse;
import dev.distribank.proto.bank.v1.DepositResponse;
import dev.distribank.proto.bank.v1.GetBalanceResponse;
import dev.distribank.proto.bank.v1.GetStatementResponse;
import dev.distribank.proto.bank.v1.LoginResponse;
import dev.distribank.proto.bank.v1.PixKeyType;
import dev.distribank.proto.bank.v1.TransferResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A customer's day through the CLI against a real node: sign up, log in, open, deposit, PIX, transfer, read. */
class CustomerJourneyTest {
  private static final Pattern RECEIPT = Pattern.compile("committed \\S+ at \\d+@alpha");

  @TempDir
  static Path dataDir;

  private static BankNode node;
  private static Cli cli;

  @BeforeAll
  static void startNode() throws IOException {
    node = BankNode.start(NodeConfig.forTest("alpha", dataDir));
    cli = new Cli(node.port());
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void journey_textOutput_balancesAndStatementAddUp() {
    Cli.Result created = cli.ok("customer", "create", "--name", "Ana Souza", "--cpf", "529.982.247-25",
        "--login", "ana", "--password", Cli.PASSWORD);
    assertTrue(created.out().startsWith("created customer ana (individual, CPF 52998224725) at alpha"),
        created::toString);
    String ana = cli.ok("login", "--login", "ana", "--password", Cli.PASSWORD).out().strip();
    String anaAccount = cli.openAccount(ana, "individual");
    assertTrue(anaAccount.matches("alpha:\\d+"), anaAccount);

    Cli.Result deposit = cli.ok("deposit", "--account", anaAccount, "--amount", "100.00", "--token", ana);
    assertTrue(RECEIPT.matcher(deposit.out()).lookingAt(), deposit::toString);

    String bia = cli.signUp("bia");
    String biaAccount = cli.openAccount(bia, "individual");
    Cli.Result key = cli.ok("pix", "add", "--account", biaAccount, "--type", "email", "--value", "bia@example.com",
        "--token", bia);
    assertEquals("added PIX key email bia@example.com -> " + biaAccount, key.out().strip());

    Cli.Result transfer = cli.ok("transfer", "--leg", anaAccount + ",alpha:pix:bia@example.com,12.34",
        "--token", ana);
    assertTrue(RECEIPT.matcher(transfer.out()).lookingAt(), transfer::toString);
    // The receipt shows the leg as applied, the key resolved to Bia's account.
    assertTrue(transfer.out().contains(anaAccount + " -> " + biaAccount + " 12.34"), transfer::toString);

    assertEquals(anaAccount + "  balance 87.66  available 87.66",
        cli.ok("balance", "--account", anaAccount, "--token", ana).out().strip());
    assertEquals(biaAccount + "  balance 12.34  available 12.34",
        cli.ok("balance", "--account", biaAccount, "--token", bia).out().strip());

    List<String> statement = cli.ok("statement", "--account", anaAccount, "--token", ana).out().strip().lines()
        .toList();
    assertEquals(3, statement.size(), () -> String.join("\n", statement));
    assertTrue(statement.get(0).matches("TIMESTAMP\\s+TRANSACTION\\s+COUNTERPARTY\\s+AMOUNT\\s+BALANCE\\s+INITIATOR"),
        statement.get(0));
    assertTrue(statement.get(1).matches("\\d+@alpha\\s+\\S+\\s+deposit\\s+100\\.00\\s+100\\.00\\s+ana@alpha"),
        statement.get(1));
    // The payer's counterparty is the destination as written: the node records the PIX key, not the account it named.
    // Ana asked for it herself, a holder at her own bank: no consent is named.
    assertTrue(statement.get(2).matches("\\d+@alpha\\s+\\S+\\s+(" + biaAccount + "|alpha:pix:bia@example\\.com)"
        + "\\s+-12\\.34\\s+87\\.66\\s+ana@alpha"), statement.get(2));
  }

  @Test
  void journey_jsonOutput_isTheResponseMessage() {
    Cli.Result login = cli.ok("customer", "create", "--name", "Caio Lima", "--cpf", "11144477735", "--login", "caio",
        "--password", Cli.PASSWORD, "--output", "json");
    assertTrue(login.out().contains("\"login\": \"caio\""), login::toString);
    LoginResponse session = Cli.json(cli.ok("login", "--login", "caio", "--password", Cli.PASSWORD, "--output",
        "json").out(), LoginResponse.newBuilder()).build();
    String token = session.getToken();
    assertEquals("caio", session.getCustomer().getLogin());
    String account = cli.openAccount(token, "INDIVIDUAL");

    DepositResponse deposit = Cli.json(cli.ok("deposit", "--account", account, "--amount", "0.01", "--token", token,
        "--output", "json").out(), DepositResponse.newBuilder()).build();
    assertEquals(1, deposit.getReceipt().getLegs(0).getAmountCents());
    assertEquals("alpha", deposit.getReceipt().getTimestamp().getBank());

    AddPixKeyResponse evp = Cli.json(cli.ok("pix", "add", "--account", account, "--type", "evp", "--token", token,
        "--output", "json").out(), AddPixKeyResponse.newBuilder()).build();
    assertEquals(PixKeyType.PIX_KEY_TYPE_EVP, evp.getKey().getType());
    UUID.fromString(evp.getKey().getValue());

    String other = cli.openAccount(token, "individual");
    TransferResponse transfer = Cli.json(cli.ok("transfer", "--leg", account + "," + other + ",0.01", "--token",
        token, "--output", "json").out(), TransferResponse.newBuilder()).build();
    assertEquals(other, transfer.getReceipt().getLegs(0).getToAccount());

    GetBalanceResponse balance = Cli.json(cli.ok("balance", "--account", other, "--token", token, "--output", "json")
        .out(), GetBalanceResponse.newBuilder()).build();
    assertEquals(1, balance.getBalanceCents());
    assertEquals(1, balance.getAvailableCents());

    GetStatementResponse statement = Cli.json(cli.ok("statement", "--account", account, "--token", token,
        "--output", "json").out(), GetStatementResponse.newBuilder()).build();
    assertEquals(List.of(1L, -1L), statement.getEntriesList().stream().map(e -> e.getAmountCents()).toList());
    assertEquals(0, statement.getEntries(1).getBalanceCents());
    assertEquals("caio@alpha", statement.getEntries(1).getInitiator());
    assertEquals(0, statement.getEntries(1).getConsentId());
  }

  @Test
  void login_text_printsOnlyTheToken() {
    cli.signUp("dora");
    Cli.Result login = cli.ok("login", "--login", "dora", "--password", Cli.PASSWORD);
    assertEquals(1, login.out().lines().count(), login::toString);
    assertFalse(login.out().strip().isEmpty());
    assertFalse(login.out().strip().contains(" "), login::toString);
    assertEquals("", login.err());
  }

  @Test
  void withdrawAndRepeatedRequestId_appliesOnce() {
    String token = cli.signUp("edu");
    String account = cli.openAccount(token, "individual");
    String requestId = UUID.randomUUID().toString();
    cli.ok("deposit", "--account", account, "--amount", "50", "--token", token, "--request-id", requestId);
    Cli.Result repeat = cli.ok("deposit", "--account", account, "--amount", "50", "--token", token,
        "--request-id", requestId);
    assertTrue(repeat.out().contains("replayed"), repeat::toString);
    cli.ok("withdraw", "--account", account, "--amount", "5.00", "--token", token);
    assertEquals(account + "  balance 45.00  available 45.00",
        cli.ok("balance", "--account", account, "--token", token).out().strip());
  }

  @Test
  void accountsAndKeys_showListAddRemove() {
    String token = cli.signUp("fabi");
    String joint = cli.openAccount(token, "joint");
    cli.signUp("gui");
    Cli.Result holder = cli.ok("account", "add-holder", "--account", joint, "--login", "gui", "--token", token);
    assertTrue(holder.out().contains("holders    fabi, gui"), holder::toString);

    Cli.Result show = cli.ok("account", "show", "--account", joint, "--token", token);
    assertTrue(show.out().startsWith("account    " + joint + "\nkind       joint\n"), show::toString);
    Cli.Result list = cli.ok("account", "list", "--token", token);
    assertTrue(list.out().lines().anyMatch(l -> l.matches(joint + "\\s+joint\\s+0\\.00\\s+0\\.00\\s+fabi, gui")),
        list::toString);

    cli.ok("pix", "add", "--account", joint, "--type", "phone", "--value", "+5511987654321", "--token", token);
    Cli.Result keys = cli.ok("pix", "list", "--account", joint, "--token", token);
    assertTrue(keys.out().lines().anyMatch(l -> l.matches("phone\\s+\\+5511987654321\\s+" + joint)), keys::toString);
    Cli.Result removed = cli.ok("pix", "remove", "--account", joint, "--value", "+5511987654321", "--token", token);
    assertEquals("removed PIX key phone +5511987654321 -> " + joint, removed.out().strip());
    assertEquals("no PIX keys on " + joint, cli.ok("pix", "list", "--account", joint, "--token", token).out().strip());
  }

  @Test
  void businessAccount_companyAddsEmployee() {
    cli.ok("customer", "create", "--name", "Padaria Pão Quente", "--cnpj", "11.222.333/0001-81", "--login",
        "padaria", "--password", Cli.PASSWORD);
    String company = cli.ok("login", "--login", "padaria", "--password", Cli.PASSWORD).out().strip();
    String business = cli.openAccount(company, "business");
    cli.signUp("hugo");
    Cli.Result employee = cli.ok("account", "add-employee", "--account", business, "--login", "hugo",
        "--token", company);
    assertTrue(employee.out().contains("employees  hugo"), employee::toString);
  }

  @Test
  void logout_revokesTheToken() {
    String token = cli.signUp("iara");
    assertEquals("logged out", cli.ok("logout", "--token", token).out().strip());
    Cli.Result after = cli.run("account", "list", "--token", token);
    assertEquals(1, after.exitCode(), after::toString);
    assertTrue(after.err().contains("UNAUTHENTICATED"), after::toString);
  }
}
