package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.distribank.node.log.JsonLogFormatter;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.Scrape;
import dev.distribank.proto.bank.v1.CreateCustomerRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.ListCustomersRequest;
import dev.distribank.proto.bank.v1.LoginRequest;
import dev.distribank.proto.bank.v1.LogoutRequest;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * No secret ever reaches a log line, an error message or /metrics: a real node started with a known admin token, a
 * customer signing in with a known password (right and wrong), admin calls with the right and a wrong token, and
 * everything the node logs captured in both formats and searched for each of them.
 */
class LogSecretsTest {
  static final String ADMIN_TOKEN = "known-admin-token-Zq81";
  static final String PASSWORD = "known password Zq81";
  static final String WRONG_PASSWORD = "wrong password Zq81";
  static final String WRONG_ADMIN_TOKEN = "wrong-admin-token-Zq81";
  @TempDir Path dir;

  /** Everything logged anywhere in this JVM while it runs, formatted by {@code formatter}. */
  static final class Capture implements AutoCloseable {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final StreamHandler handler;

    Capture(Formatter formatter) {
      handler = new StreamHandler(bytes, formatter);
      handler.setLevel(Level.ALL);
      Logger.getLogger("").addHandler(handler);
    }

    String text() {
      handler.flush();
      return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      Logger.getLogger("").removeHandler(handler);
    }
  }

  @Test
  void knownSecrets_neverLoggedInEitherFormat_norInErrorsOrMetrics() throws Exception {
    var config = new NodeConfig("alpha", "127.0.0.1", 0, dir.resolve("alpha"), ADMIN_TOKEN, Duration.ofHours(1),
        1_000, Map.of("alpha", "127.0.0.1:0"), null, "", "", true, "127.0.0.1:0");
    var secrets = new ArrayList<>(List.of(ADMIN_TOKEN, PASSWORD, WRONG_PASSWORD, WRONG_ADMIN_TOKEN));
    var errors = new ArrayList<String>();
    String metrics;
    try (var text = new Capture(new SimpleFormatter()); var json = new Capture(new JsonLogFormatter("alpha"))) {
      try (var node = BankNode.start(config); var clients = new Clients(node.port())) {
        clients.anonymous().createCustomer(CreateCustomerRequest.newBuilder().setName("Ana Souza")
            .setCpf(Cpfs.cpf(3)).setLogin("ana").setPassword(PASSWORD).build());
        String session = clients.anonymous().login(LoginRequest.newBuilder().setLogin("ana").setPassword(PASSWORD)
            .build()).getToken();
        secrets.add(session);
        for (int i = 0; i < 3; i++) {
          errors.add(assertThrows(StatusRuntimeException.class, () -> clients.anonymous().login(
              LoginRequest.newBuilder().setLogin("ana").setPassword(WRONG_PASSWORD).build())).toString());
        }
        clients.admin(ADMIN_TOKEN).listCustomers(ListCustomersRequest.getDefaultInstance());
        errors.add(assertThrows(StatusRuntimeException.class, () -> clients.admin(WRONG_ADMIN_TOKEN)
            .getClusterStatus(GetClusterStatusRequest.getDefaultInstance())).toString());
        errors.add(assertThrows(StatusRuntimeException.class, () -> clients.admin(session)
            .getClusterStatus(GetClusterStatusRequest.getDefaultInstance())).toString());
        errors.add(assertThrows(StatusRuntimeException.class, () -> clients.admin(session + "x")
            .listCustomers(ListCustomersRequest.getDefaultInstance())).toString());
        clients.as(session).logout(LogoutRequest.getDefaultInstance());
        errors.add(assertThrows(StatusRuntimeException.class, () -> clients.as(session)
            .logout(LogoutRequest.getDefaultInstance())).toString());
        metrics = Scrape.of(node.metricsPort()).text();
      }
      errors.add(usageError("--admin-token", ADMIN_TOKEN, "--listen", "nowhere"));
      errors.add(usageError("--admin-token", ADMIN_TOKEN, "--metrics-listen", "nowhere"));
      errors.add(usageError("--admin-token", "short"));

      String textLog = text.text();
      String jsonLog = json.text();
      assertTrue(textLog.contains("bank alpha serving plaintext"), textLog);
      assertTrue(jsonLog.contains("\"message\":\"bank alpha serving plaintext"), jsonLog);
      for (String line : jsonLog.split("\n")) {
        var object = JsonParser.parseString(line).getAsJsonObject();
        for (String field : List.of("timestamp", "level", "logger", "message")) {
          assertTrue(object.has(field), field + " missing: " + line);
        }
      }
      for (String secret : secrets) {
        assertFalse(textLog.contains(secret), "a secret in the text log");
        assertFalse(jsonLog.contains(secret), "a secret in the JSON log");
        assertFalse(metrics.contains(secret), "a secret in /metrics");
        for (String error : errors) {
          assertFalse(error.contains(secret), "a secret in an error message: " + error.replace(secret, "<SECRET>"));
        }
      }
    }
    assertEquals(10, errors.size(), "every refusal above was looked at");
  }

  /** What the node's command line prints for {@code args}, which it must refuse. */
  static String usageError(String... args) {
    var err = new StringWriter();
    int exit = new CommandLine(new BankNodeMain()).setErr(new PrintWriter(err)).execute(args);
    assertEquals(2, exit, err.toString());
    return err.toString();
  }
}
