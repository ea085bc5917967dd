package dev.distribank.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.node.testing.LogWatch;
import dev.distribank.node.testing.PeerHarness;
import dev.distribank.pki.CertificateAuthority;
import dev.distribank.pki.Consortium;
import dev.distribank.pki.Issued;
import dev.distribank.pki.Pem;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.TransferRequest;
import dev.distribank.proto.peer.v1.GetClockRequest;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes over mutual TLS, and callers on alpha's side of beta's peer port with every kind of wrong
 * certificate: none, another CA's, an expired one, one naming no bank or a stranger bank, a revoked one. Each is
 * refused at the handshake, logged naming the certificate's bank, and beta goes on serving and trading. Then beta's
 * certificate is rotated on disk and served without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerTlsTest {
  @TempDir static Path dir;
  LocalCluster cluster;
  LogWatch log;
  final java.util.concurrent.atomic.AtomicInteger customers = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    cluster = new LocalCluster(dir, List.of("alpha", "beta"));
    log = LogWatch.attach();
  }

  @AfterAll
  void stop() throws Exception {
    log.close();
    cluster.close();
  }

  /** Calls beta's peer port as {@code certificate}/{@code key} (null: none), trusting the real CA. */
  StatusRuntimeException refusedAtBeta(Path certificate, Path key) throws Exception {
    try (var peer = new PeerHarness(cluster.node("beta").peerPort(), cluster.pki().resolve("ca.pem"), certificate,
        key)) {
      return assertThrows(StatusRuntimeException.class, () -> PeerServiceGrpc.newBlockingStub(peer.channel())
          .withDeadlineAfter(10, TimeUnit.SECONDS).getClock(GetClockRequest.getDefaultInstance()));
    }
  }

  Path write(Issued issued, String name) throws Exception {
    Path d = Files.createDirectories(dir.resolve("forged"));
    issued.writeTo(d, name);
    return d.resolve(name + ".pem");
  }

  void assertLogged(String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (log.matching(text).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "no warning containing '" + text + "'; first: " + log.first());
      Thread.sleep(20);
    }
  }

  /** Beta still serves, and alpha and beta still move money between them. */
  void assertBetaUnharmed() {
    assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(cluster.at("beta").channel())
        .check(HealthCheckRequest.getDefaultInstance()).getStatus());
    int n = customers.incrementAndGet();
    String login = "ana" + n;
    String alphaToken = cluster.at("alpha").signUp(login, Cpfs.cpf(n));
    String betaToken = cluster.at("beta").signUp(login, Cpfs.cpf(n));
    String from = cluster.at("alpha").as(alphaToken).openAccount(OpenAccountRequest.newBuilder()
        .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
    String to = cluster.at("beta").as(betaToken).openAccount(OpenAccountRequest.newBuilder()
        .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
    cluster.at("alpha").as(alphaToken).deposit(DepositRequest.newBuilder().setAccount(from).setAmountCents(500)
        .build());
    var receipt = cluster.at("alpha").as(alphaToken).transfer(TransferRequest.newBuilder()
        .addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(from).setToAccount(to)
            .setAmountCents(200)).build()).getReceipt();
    assertFalse(receipt.getTransactionId().isEmpty());
  }

  @Test
  void alphasRealCertificate_isAdmitted() throws Exception {
    try (var peer = PeerHarness.as(cluster, "alpha", "beta")) {
      assertTrue(PeerServiceGrpc.newBlockingStub(peer.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getClock(GetClockRequest.getDefaultInstance()).getClock() >= 0);
    }
  }

  @Test
  void noCertificate_isRefusedAtTheHandshake() throws Exception {
    assertEquals(Status.Code.UNAVAILABLE, refusedAtBeta(null, null).getStatus().getCode());
    assertBetaUnharmed();
  }

  @Test
  void anotherCasCertificateForAlpha_isRefusedAndLoggedNamingAlpha() throws Exception {
    var otherCa = CertificateAuthority.create("Mallory's CA", Duration.ofDays(1));
    Path cert = write(otherCa.issue("alpha", List.of("127.0.0.1"), Duration.ofDays(1)), "other-ca-alpha");
    assertEquals(Status.Code.UNAVAILABLE, refusedAtBeta(cert, cert.resolveSibling("other-ca-alpha.key"))
        .getStatus().getCode());
    assertLogged("refused the certificate of bank alpha");
    assertLogged("not issued by this consortium's CA");
    assertBetaUnharmed();
  }

  @Test
  void expiredCertificate_isRefusedAndLoggedAsExpired() throws Exception {
    var ca = CertificateAuthority.load(cluster.pki());
    Instant past = Instant.now().minus(Duration.ofDays(10));
    Path cert = write(ca.issue("alpha", List.of("127.0.0.1"), past, past.plus(Duration.ofDays(1))), "expired");
    assertEquals(Status.Code.UNAVAILABLE, refusedAtBeta(cert, cert.resolveSibling("expired.key")).getStatus()
        .getCode());
    assertLogged("refused the certificate of bank alpha");
    assertLogged("it expired on");
    assertBetaUnharmed();
  }

  @Test
  void certificatesNamingNoBankOrAStranger_areRefused() throws Exception {
    var ca = CertificateAuthority.load(cluster.pki());
    Path bare = write(ca.issueBare("alpha", Duration.ofDays(1)), "bare");
    Path zeta = write(ca.issue("zeta", List.of("127.0.0.1"), Duration.ofDays(1)), "zeta");
    assertEquals(Status.Code.UNAVAILABLE, refusedAtBeta(bare, bare.resolveSibling("bare.key")).getStatus()
        .getCode());
    assertLogged("names no bank");
    assertEquals(Status.Code.UNAVAILABLE, refusedAtBeta(zeta, zeta.resolveSibling("zeta.key")).getStatus()
        .getCode());
    assertLogged("bank zeta");
    assertBetaUnharmed();
  }

  @Test
  void aDiallerThatMeantAnotherBank_refusesTheCertificateThatAnswers() throws Exception {
    // Alpha's own TLS, told that bank "alpha" answers at beta's peer port (a wrong address, or a hijacked one): the
    // certificate that answers names beta, so alpha refuses it.
    var timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (var tls = new NodeTls("alpha", java.util.Set.of("alpha", "beta"), TlsFiles.inDirectory(cluster.pki(),
        "alpha"), timers)) {
      var channel = io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", cluster.node("beta").peerPort(),
          tls.peerChannel("alpha")).build();
      try {
        var e = assertThrows(StatusRuntimeException.class, () -> PeerServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS).getClock(GetClockRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      } finally {
        channel.shutdownNow();
      }
    } finally {
      timers.shutdownNow();
    }
    assertLogged("dialled bank alpha but the certificate answering is bank beta");
  }

  @Test
  void revokedCertificate_isRefusedOnceTheCrlIsReloaded() throws Exception {
    var ca = CertificateAuthority.load(cluster.pki());
    // A second certificate for alpha, so the real links (alpha's own certificate) are not the ones revoked.
    Issued spare = ca.issue("alpha", List.of("127.0.0.1"), Duration.ofDays(1));
    Path cert = write(spare, "spare-alpha");
    try (var peer = new PeerHarness(cluster.node("beta").peerPort(), cluster.pki().resolve("ca.pem"), cert,
        cert.resolveSibling("spare-alpha.key"))) {
      PeerServiceGrpc.newBlockingStub(peer.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getClock(GetClockRequest.getDefaultInstance());
    }
    var crl = Pem.crl(cluster.pki().resolve("ca.crl"));
    var revoked = new java.util.ArrayList<BigInteger>();
    revoked.add(spare.certificate().getSerialNumber());
    Pem.writePublic(cluster.pki().resolve("ca.crl"), ca.revocationList(revoked, Duration.ofDays(1)));
    assertTrue(crl.getRevokedCertificates() == null, "nothing was revoked before");

    awaitRefused(() -> {
      try {
        return refusedAtBeta(cert, cert.resolveSibling("spare-alpha.key"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertLogged("the consortium CA revoked it");
    assertBetaUnharmed();
  }

  private void awaitRefused(Supplier<StatusRuntimeException> attempt) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        attempt.get();
        return;
      } catch (org.opentest4j.AssertionFailedError admittedStill) {
        assertTrue(System.nanoTime() < deadline, "the revoked certificate was still admitted after 10 s");
        Thread.sleep(100);
      }
    }
  }

  @Test
  void rotatedCertificate_isServedWithoutARestart() throws Exception {
    BigInteger before = servedSerial(cluster.node("beta").port());
    Consortium.issue(cluster.pki(), "beta", Map.of(), Duration.ofDays(30));
    BigInteger onDisk = Pem.certificate(cluster.pki().resolve("beta.pem")).getSerialNumber();
    assertNotEquals(before, onDisk);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!servedSerial(cluster.node("beta").port()).equals(onDisk)) {
      assertTrue(System.nanoTime() < deadline, "beta still serves its old certificate 10 s after the rotation");
      Thread.sleep(100);
    }
    assertEquals(onDisk, servedSerial(cluster.node("beta").peerPort()), "the peer port serves it too");
    assertBetaUnharmed();
  }

  /** The serial of the certificate a TLS handshake with 127.0.0.1:{@code port} is shown. */
  private BigInteger servedSerial(int port) throws Exception {
    var keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
    keyStore.load(null, null);
    keyStore.setCertificateEntry("ca", Pem.certificate(cluster.pki().resolve("ca.pem")));
    var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    var context = SSLContext.getInstance("TLS");
    // The peer port wants a client certificate: present alpha's (the public port does not ask).
    var keys = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
    var identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    identity.setKeyEntry("alpha", Pem.privateKey(cluster.pki().resolve("alpha.key")), new char[0],
        new java.security.cert.Certificate[] {Pem.certificate(cluster.pki().resolve("alpha.pem"))});
    keys.init(identity, new char[0]);
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    try (var socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      var params = socket.getSSLParameters();
      params.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(params);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }


}
