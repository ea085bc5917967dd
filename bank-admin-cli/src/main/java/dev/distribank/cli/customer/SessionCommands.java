package dev.distribank.cli.customer;

import dev.distribank.cli.GlobalOptions;
import dev.distribank.proto.bank.v1.LoginRequest;
import dev.distribank.proto.bank.v1.LoginResponse;
import dev.distribank.proto.bank.v1.LogoutRequest;
import dev.distribank.proto.bank.v1.LogoutResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bank-admin login} and {@code bank-admin logout}: getting and revoking a bearer token. */
public final class SessionCommands {
  private SessionCommands() {}

  /** {@code bank-admin login}: a login and password in, the bearer token out, alone on stdout. */
  @Command(name = "login", mixinStandardHelpOptions = true,
      description = {"Exchange a login and password for a bearer token.",
          "The token is printed alone on stdout, so that this hands it to the next commands:",
          "  export BANK_TOKEN=$(bank-admin login --login ana --password)"})
  public static final class Login implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--login", required = true, paramLabel = "LOGIN", description = "The customer's login.")
    private String login;

    @Option(names = "--password", required = true, paramLabel = "PASSWORD", arity = "0..1", interactive = true,
        description = "The password; give --password alone to be asked for it instead of leaving it in the history.")
    private String password;

    @Override
    public Integer call() {
      var request = LoginRequest.newBuilder().setLogin(login).setPassword(password);
      LoginResponse response = global.call(bank -> bank.bank().login(request.build()));
      // Only the token: anything else on stdout would end up inside $BANK_TOKEN.
      global.print(response, out -> out.println(response.getToken()));
      return 0;
    }
  }

  /** {@code bank-admin logout}: revokes the token the command sends. */
  @Command(name = "logout", mixinStandardHelpOptions = true,
      description = "Revoke the token given with --token or BANK_TOKEN.")
  public static final class Logout implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
      LogoutResponse response = global.call(bank -> bank.bank().logout(LogoutRequest.getDefaultInstance()));
      global.print(response, out -> out.println("logged out"));
      return 0;
    }
  }
}
