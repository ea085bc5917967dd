package dev.distribank.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsortiumTest {
  @TempDir Path dir;

  @Test
  void initIssuesOneCertificatePerBankNamingItAndItsHosts() throws Exception {
    Path out = dir.resolve("pki");
    Consortium.init(out, List.of("alpha", "beta"), Map.of("", List.of("bank.example"), "beta", List.of("10.0.0.2")),
        Duration.ofDays(30));
    var ca = Pem.certificate(out.resolve("ca.pem"));
    for (String bank : List.of("alpha", "beta")) {
      var cert = Pem.certificate(out.resolve(bank + ".pem"));
      cert.verify(ca.getPublicKey());
      cert.checkValidity();
      var names = cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
      assertTrue(names.contains("spiffe://distribank/bank/" + bank), names.toString());
      assertTrue(names.containsAll(List.of(bank, "localhost", "127.0.0.1", "bank.example")), names.toString());
      assertEquals(bank.equals("beta"), names.contains("10.0.0.2"), names.toString());
      assertEquals(-1, cert.getBasicConstraints());
      // The key on disk is the certificate's: it signs what the certificate's public key verifies.
      var key = Pem.privateKey(out.resolve(bank + ".key"));
      var signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(new byte[] {1, 2, 3});
      byte[] signature = signer.sign();
      var verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(cert.getPublicKey());
      verifier.update(new byte[] {1, 2, 3});
      assertTrue(verifier.verify(signature));
      assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(out.resolve(bank + ".key")));
    }
    assertTrue(ca.getBasicConstraints() >= 0);
    assertTrue(Pem.crl(out.resolve("ca.crl")).getRevokedCertificates() == null);
  }

  @Test
  void initNeverReplacesAnExistingCa() throws Exception {
    Consortium.init(dir, List.of("alpha"), Map.of(), Duration.ofDays(1));
    byte[] before = Files.readAllBytes(dir.resolve("ca.key"));
    var e = assertThrows(java.io.IOException.class,
        () -> Consortium.init(dir, List.of("alpha"), Map.of(), Duration.ofDays(1)));
    assertTrue(e.getMessage().contains("already holds a CA"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("ca.key"))));
  }

  @Test
  void badBankIdsAreRefusedBeforeAnythingIsWritten() {
    assertThrows(IllegalArgumentException.class,
        () -> Consortium.init(dir.resolve("x"), List.of("alpha", "Bad Id"), Map.of(), Duration.ofDays(1)));
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void revokeListsTheBanksCurrentCertificateAndKeepsEarlierOnes() throws Exception {
    Consortium.init(dir, List.of("alpha", "beta"), Map.of(), Duration.ofDays(1));
    var alpha = Consortium.revoke(dir, "alpha");
    var beta = Consortium.revoke(dir, "beta");
    Consortium.revoke(dir, "beta"); // twice: listed once
    var crl = Pem.crl(dir.resolve("ca.crl"));
    crl.verify(Pem.certificate(dir.resolve("ca.pem")).getPublicKey());
    assertEquals(2, crl.getRevokedCertificates().size());
    assertTrue(crl.getRevokedCertificate(alpha) != null && crl.getRevokedCertificate(beta) != null);
    // A re-issued certificate is a new serial, not revoked.
    var fresh = Consortium.issue(dir, "alpha", Map.of(), Duration.ofDays(1));
    assertTrue(Pem.crl(dir.resolve("ca.crl")).getRevokedCertificate(fresh.certificate().getSerialNumber()) == null);
  }
}
