package dev.distribank.cli.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.distribank.cli.Cli;
import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bank-admin transfer --from-file} against a real node: CSV and JSON lines, from a file or standard input, in
 * one batch or several; one line printed per transfer in the file's order; exit 1 when any was refused, 2 for a file
 * that is not transfers (before anything is sent).
 */
class TransferFromFileTest {
  @TempDir
  static Path dir;

  private static BankNode node;
  private static Cli cli;
  private static String ana;
  private static String anaAccount;
  private static String biaAccount;

  @BeforeAll
  static void startNode() throws IOException {
    node = BankNode.start(NodeConfig.forTest("alpha", dir.resolve("alpha")));
    cli = new Cli(node.port());
    ana = cli.signUp("ana");
    anaAccount = cli.openAccount(ana, "individual");
    biaAccount = cli.openAccount(cli.signUp("bia"), "individual");
    cli.ok("deposit", "--account", anaAccount, "--amount", "1000.00", "--token", ana);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static Path file(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }

  private static String balance(String account) {
    return cli.ok("balance", "--account", account, "--token", ana).out().strip().split("\\s+")[2];
  }

  @Test
  void csv_goodAndBadLines_eachAnsweredOnItsLine_exit1() throws IOException {
    String before = balance(anaAccount);
    String id = "00000000-0000-4000-8000-0000000f0001";
    Path csv = file("mixed.csv",
        "from,to,amount,request_id",
        anaAccount + "," + biaAccount + ",10.00," + id,
        "",
        anaAccount + ",alpha:9999,1.00,",
        anaAccount + "," + biaAccount + ",100000.00,",
        anaAccount + "," + biaAccount + ",0.50," + id);

    Cli.Result r = cli.run("transfer", "--from-file", csv.toString(), "--token", ana);

    assertEquals(1, r.exitCode(), r::toString);
    List<String> out = r.out().lines().toList();
    assertEquals(4, out.size(), r::toString);
    assertTrue(out.get(0).matches("line 2: committed alpha-\\d+ at \\d+@alpha: transfer " + anaAccount + " -> "
        + biaAccount + " 10\\.00; request id " + id), out.get(0));
    assertTrue(out.get(1).startsWith("line 4: refused ACCOUNT_NOT_FOUND: "), out.get(1));
    assertTrue(out.get(1).contains("(NOT_FOUND), field legs[0].to_account; request id "), out.get(1));
    assertTrue(out.get(2).startsWith("line 5: refused INSUFFICIENT_FUNDS: "), out.get(2));
    assertTrue(out.get(2).contains("(FAILED_PRECONDITION), field legs[0].amount_cents"), out.get(2));
    assertTrue(out.get(3).startsWith("line 6: refused REQUEST_ID_REUSED: "), out.get(3));
    assertTrue(out.get(3).endsWith("(ALREADY_EXISTS), field request_id; request id " + id), out.get(3));
    assertTrue(r.err().contains("4 transfers of " + csv + ": 1 committed, 3 refused"), r::toString);
    assertEquals(new java.math.BigDecimal(before).subtract(new java.math.BigDecimal("10.00")).toPlainString(),
        balance(anaAccount));
  }

  @Test
  void jsonLines_fromStandardInput_jsonOutput_exit0() throws Exception {
    String input = "{\"from\": \"" + anaAccount + "\", \"to\": \"" + biaAccount + "\", \"amount\": \"1.25\"}\n"
        + "{\"from\": \"" + anaAccount + "\", \"to\": \"" + biaAccount + "\", \"amount\": 2.5,"
        + " \"request_id\": \"00000000-0000-4000-8000-0000000f0002\"}\n";
    InputStream stdin = System.in;
    Cli.Result r;
    try {
      System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      r = cli.run("transfer", "--from-file", "-", "--token", ana, "--output", "json");
    } finally {
      System.setIn(stdin);
    }

    assertEquals(0, r.exitCode(), r::toString);
    List<String> out = r.out().lines().toList();
    assertEquals(2, out.size(), r::toString);
    for (int i = 0; i < out.size(); i++) {
      JsonObject line = JsonParser.parseString(out.get(i)).getAsJsonObject();
      assertEquals(i + 1, line.get("line").getAsInt(), out.get(i));
      JsonObject result = line.getAsJsonObject("result");
      assertEquals(Integer.toString(i), result.get("index").getAsString(), out.get(i));
      assertEquals(i == 0 ? 125 : 250, result.getAsJsonObject("receipt").getAsJsonArray("legs").get(0)
          .getAsJsonObject().get("amountCents").getAsLong(), out.get(i));
    }
    assertTrue(out.get(1).contains("\"requestId\":\"00000000-0000-4000-8000-0000000f0002\""), out.get(1));
    assertTrue(r.err().contains("2 transfers of standard input: 2 committed, 0 refused"), r::toString);
  }

  @Test
  void moreThanOneBatch_everyTransferAnsweredInOrder() throws IOException {
    int count = TransferBatches.MAX_BATCH + 5;
    var lines = new String[count + 1];
    lines[0] = "from,to,amount";
    for (int i = 1; i <= count; i++) {
      lines[i] = anaAccount + "," + biaAccount + ",0.01";
    }
    Path csv = file("many.csv", lines);

    Cli.Result r = cli.run("transfer", "--from-file", csv.toString(), "--token", ana);

    assertEquals(0, r.exitCode(), () -> r.err());
    List<String> out = r.out().lines().toList();
    assertEquals(count, out.size());
    for (int i = 0; i < count; i++) {
      assertTrue(out.get(i).startsWith("line " + (i + 2) + ": committed "), out.get(i));
    }
  }

  @Test
  void notSignedIn_theCallFailsAsAWhole_saysWhatWasNotAnswered_exit1() throws IOException {
    Path csv = file("unsigned.csv", "from,to,amount", anaAccount + "," + biaAccount + ",1.00");

    Cli.Result r = cli.run("transfer", "--from-file", csv.toString());

    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertTrue(r.err().contains("0 of 1 transfers of " + csv + " answered; from line 2 on, none was"), r::toString);
    assertTrue(r.err().contains("error: UNAUTHENTICATED: "), r::toString);
    assertTrue(r.err().contains("hint: no token was sent"), r::toString);
  }

  @Test
  void malformedLine_usageErrorNamingIt_nothingSent() throws IOException {
    Path csv = file("typo.csv", "from,to,amount", "alpha:1001,alpha:1002,1.00", "alpha:1001,alpha:1002,12,34");

    // No node listens on port 1: exit 2 proves the file was refused before a connection was tried.
    Cli.Result r = Cli.raw("transfer", "--from-file", csv.toString(), "--target", "127.0.0.1:1");

    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains(csv + " line 3: 'alpha:1001,alpha:1002,12,34' is not a leg"), r::toString);
    assertTrue(r.err().contains("decimal dot"), r::toString);
  }

  @Test
  void missingHeader_unknownJsonField_orNoTransfers_usageErrors() throws IOException {
    Path noHeader = file("noheader.csv", "alpha:1001,alpha:1002,1.00");
    Path unknown = file("unknown.jsonl", "{\"from\": \"alpha:1001\", \"to\": \"alpha:1002\", \"amuont\": \"1\"}");
    Path empty = file("empty.csv", "from,to,amount", "");

    Cli.Result a = Cli.raw("transfer", "--from-file", noHeader.toString(), "--target", "127.0.0.1:1");
    Cli.Result b = Cli.raw("transfer", "--from-file", unknown.toString(), "--target", "127.0.0.1:1");
    Cli.Result c = Cli.raw("transfer", "--from-file", empty.toString(), "--target", "127.0.0.1:1");
    Cli.Result d = Cli.raw("transfer", "--from-file", dir.resolve("absent.csv").toString());

    assertEquals(2, a.exitCode(), a::toString);
    assertTrue(a.err().contains("line 1: expected the CSV header from,to,amount"), a::toString);
    assertEquals(2, b.exitCode(), b::toString);
    assertTrue(b.err().contains("line 1: unknown field \"amuont\""), b::toString);
    assertEquals(2, c.exitCode(), c::toString);
    assertTrue(c.err().contains("has no transfers"), c::toString);
    assertEquals(2, d.exitCode(), d::toString);
    assertTrue(d.err().contains("cannot read"), d::toString);
  }

  @Test
  void fromFile_withLegOrRequestId_usageError() throws IOException {
    Path csv = file("one.csv", "from,to,amount", "alpha:1001,alpha:1002,1.00");

    Cli.Result both = Cli.raw("transfer", "--from-file", csv.toString(), "--leg", "alpha:1001,alpha:1002,1");
    Cli.Result id = Cli.raw("transfer", "--from-file", csv.toString(), "--request-id",
        "00000000-0000-4000-8000-0000000f0003", "--target", "127.0.0.1:1");

    assertEquals(2, both.exitCode(), both::toString);
    assertTrue(both.err().contains("mutually exclusive"), both::toString);
    assertEquals(2, id.exitCode(), id::toString);
    assertTrue(id.err().contains("in --from-file give each line its request_id"), id::toString);
  }
}
