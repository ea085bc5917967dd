package dev.distribank.cli.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.Cli;
import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.tls.TlsFiles;
import dev.distribank.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bank-admin pki}: what it writes, what it refuses, and that a node serves what it made to a CLI over TLS. */
class PkiCommandsTest {
  @TempDir Path dir;

  @Test
  void init_writesTheCaAndOneCertificatePerBank_andANodeServesThemToTheCli() throws Exception {
    Path pki = dir.resolve("pki");
    Cli.Result r = Cli.raw("pki", "init", "--banks", "alpha,beta", "--out", pki.toString(), "--host",
        "beta=beta.bank.example", "--days", "30");
    assertEquals(0, r.exitCode(), r::toString);
    for (String file : new String[] {"ca.pem", "ca.key", "ca.crl", "alpha.pem", "alpha.key", "beta.pem",
        "beta.key"}) {
      assertTrue(Files.exists(pki.resolve(file)), file + " missing; " + r);
    }
    assertTrue(r.out().contains("keep it offline") && r.out().contains("beta.pem"), r::toString);
    assertTrue(Pem.certificate(pki.resolve("beta.pem")).getSubjectAlternativeNames().stream()
        .anyMatch(n -> n.get(1).equals("beta.bank.example")));

    try (BankNode alpha = BankNode.start(NodeConfig.forTest("alpha", dir.resolve("alpha"))
        .withTls(TlsFiles.inDirectory(pki, "alpha")))) {
      String target = "127.0.0.1:" + alpha.port();
      Cli.Result health = Cli.raw("--target", target, "--ca-cert", pki.resolve("ca.pem").toString(), "health");
      assertEquals(0, health.exitCode(), health::toString);
      assertTrue(health.out().contains("SERVING"), health::toString);
      // localhost is on the certificate too, so a client may name the node either way.
      Cli.Result byName = Cli.raw("--target", "localhost:" + alpha.port(), "--ca-cert",
          pki.resolve("ca.pem").toString(), "health");
      assertEquals(0, byName.exitCode(), byName::toString);
    }
  }

  @Test
  void init_refusesADirectoryThatHoldsACa_andBadBankIds() {
    Path pki = dir.resolve("pki");
    assertEquals(0, Cli.raw("pki", "init", "--banks", "alpha", "--out", pki.toString()).exitCode());
    Cli.Result again = Cli.raw("pki", "init", "--banks", "alpha", "--out", pki.toString());
    assertEquals(1, again.exitCode(), again::toString);
    assertTrue(again.err().contains("already holds a CA"), again::toString);

    Cli.Result bad = Cli.raw("pki", "init", "--banks", "alpha,Not A Bank", "--out", dir.resolve("x").toString());
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.err().contains("must match"), bad::toString);
    assertFalse(Files.exists(dir.resolve("x")));

    Cli.Result twice = Cli.raw("pki", "init", "--banks", "alpha,alpha", "--out", dir.resolve("y").toString());
    assertEquals(2, twice.exitCode(), twice::toString);
    Cli.Result host = Cli.raw("pki", "init", "--banks", "alpha", "--out", dir.resolve("z").toString(), "--host",
        "omega=omega.example");
    assertEquals(2, host.exitCode(), host::toString);
    assertTrue(host.err().contains("not among"), host::toString);
  }

  @Test
  void issueRotatesOneBank_revokeListsItsCertificate() throws Exception {
    Path pki = dir.resolve("pki");
    assertEquals(0, Cli.raw("pki", "init", "--banks", "alpha,beta", "--out", pki.toString()).exitCode());
    var before = Pem.certificate(pki.resolve("beta.pem")).getSerialNumber();
    var alphaBefore = Files.readString(pki.resolve("alpha.pem"));

    Cli.Result issued = Cli.raw("pki", "issue", "--dir", pki.toString(), "--bank", "beta");
    assertEquals(0, issued.exitCode(), issued::toString);
    var after = Pem.certificate(pki.resolve("beta.pem")).getSerialNumber();
    assertFalse(before.equals(after));
    assertEquals(alphaBefore, Files.readString(pki.resolve("alpha.pem")), "only beta is re-issued");

    Cli.Result revoked = Cli.raw("pki", "revoke", "--dir", pki.toString(), "--bank", "beta");
    assertEquals(0, revoked.exitCode(), revoked::toString);
    assertTrue(revoked.out().contains(after.toString(16)), revoked::toString);
    assertTrue(Pem.crl(pki.resolve("ca.crl")).getRevokedCertificate(after) != null);

    Cli.Result nobody = Cli.raw("pki", "revoke", "--dir", pki.toString(), "--bank", "zeta");
    assertEquals(1, nobody.exitCode(), nobody::toString);
    assertTrue(nobody.err().contains("no certificate for bank 'zeta'"), nobody::toString);
  }
}
