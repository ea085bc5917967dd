package dev.distribank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.OpenAccountResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs bank-admin in-process the way a shell would, against one node, and keeps the exit code and what it printed.
 * Each test class gets its own node, so logins and CPFs only need to be unique within a class.
 */
public final class Cli {
  public static final String PASSWORD = "correct horse battery";
  public static final String ADMIN_TOKEN = "test-admin-token";

  /** What one run left behind. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  private final String target;
  /** The CA to trust ({@code --ca-cert}), or "" for a plaintext node. */
  private final String caCert;
  private final AtomicInteger seeds = new AtomicInteger(100_000_000);

  public Cli(int port) {
    this("127.0.0.1:" + port);
  }

  /** A CLI aimed at {@code target}, HOST:PORT, in plaintext. */
  public Cli(String target) {
    this.target = target;
    this.caCert = "";
  }

  /** A CLI aimed at bank {@code bank} of {@code cluster}, over TLS trusting the cluster's CA. */
  public Cli(LocalCluster cluster, String bank) {
    this.target = cluster.at(bank).channel().authority();
    this.caCert = caCert(cluster);
  }

  /** The cluster's CA certificate, for {@code --ca-cert}. */
  public static String caCert(LocalCluster cluster) {
    return cluster.pki().resolve("ca.pem").toString();
  }

  public String target() {
    return target;
  }

  /** Runs exactly {@code args}, with nothing added. */
  public static Result raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = BankAdmin.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /**
   * Runs a command against this node, with {@code --target} last (global options are accepted before the subcommand
   * too; {@link GlobalOptionsTest} covers that position).
   */
  public Result run(String... args) {
    var all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--target", target));
    if (!caCert.isEmpty()) {
      all.addAll(List.of("--ca-cert", caCert));
    }
    return raw(all.toArray(String[]::new));
  }

  /** Runs a command that must succeed. */
  public Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.exitCode(), r::toString);
    return r;
  }

  /** Creates an individual customer through the CLI and returns the token `login` prints. */
  public String signUp(String login) {
    ok("customer", "create", "--name", "Test " + login, "--cpf", Cpfs.cpf(seeds.incrementAndGet()),
        "--login", login, "--password", PASSWORD);
    return ok("login", "--login", login, "--password", PASSWORD).out().strip();
  }

  /** Opens an account through the CLI and returns its "bank:number", read from the JSON answer. */
  public String openAccount(String token, String kind) {
    Result r = ok("account", "open", "--kind", kind, "--token", token, "--output", "json");
    return json(r.out(), OpenAccountResponse.newBuilder()).getAccount().getAccount();
  }

  /**
   * Grants through the CLI, as the holder signed in with {@code token} at this node, a consent with no limits and no
   * expiry on {@code account} to {@code grantee} ("bank:login"), so that grantee may debit it from their own bank.
   */
  public void grantConsent(String token, String account, String grantee) {
    ok("consent", "grant", "--account", account, "--to", grantee, "--token", token);
  }

  /** Reads {@code --output json} output back into its message. */
  public static <B extends Message.Builder> B json(String text, B builder) {
    try {
      JsonFormat.parser().merge(text, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not the JSON of " + builder.getDescriptorForType().getName() + ": " + text, e);
    }
  }
}
