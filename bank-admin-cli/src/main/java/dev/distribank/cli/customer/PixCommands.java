package dev.distribank.cli.customer;

import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.text.Table;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.AddPixKeyRequest;
import dev.distribank.proto.bank.v1.AddPixKeyResponse;
import dev.distribank.proto.bank.v1.ListPixKeysRequest;
import dev.distribank.proto.bank.v1.ListPixKeysResponse;
import dev.distribank.proto.bank.v1.PixKey;
import dev.distribank.proto.bank.v1.PixKeyType;
import dev.distribank.proto.bank.v1.RemovePixKeyRequest;
import dev.distribank.proto.bank.v1.RemovePixKeyResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bank-admin pix ...}: the PIX keys that name the caller's accounts. */
@Command(name = "pix", mixinStandardHelpOptions = true,
    description = "Add, list and remove the PIX keys of the caller's accounts.",
    subcommands = {PixCommands.Add.class, PixCommands.ListAll.class, PixCommands.Remove.class})
public final class PixCommands {

  /** The key types a user types, lower-case on the command line. */
  enum Type {
    CPF(PixKeyType.PIX_KEY_TYPE_CPF),
    CNPJ(PixKeyType.PIX_KEY_TYPE_CNPJ),
    EMAIL(PixKeyType.PIX_KEY_TYPE_EMAIL),
    PHONE(PixKeyType.PIX_KEY_TYPE_PHONE),
    EVP(PixKeyType.PIX_KEY_TYPE_EVP);

    final PixKeyType wire;

    Type(PixKeyType wire) {
      this.wire = wire;
    }
  }

  /** "email ana@example.com -> alpha:1001". */
  static String describe(PixKey key) {
    return WireText.label(key.getType()) + " " + key.getValue() + " -> " + key.getAccount();
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Register a PIX key naming one of the caller's accounts.",
          "For evp the bank generates a random key; every other type needs --value."})
  static final class Add implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "The account it names.")
    private String account;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
        description = "cpf, cnpj, email, phone (+55...) or evp (a random key the bank generates).")
    private Type type;

    @Option(names = "--value", paramLabel = "KEY", description = "The key itself; omit it for evp.")
    private String value;

    @Override
    public Integer call() {
      // Checked here rather than by the bank so the mistake reads as a usage error (exit 2) naming the option.
      if (type == Type.EVP && value != null) {
        throw new ParameterException(spec.commandLine(),
            "--value is not allowed with --type evp: the bank generates it");
      }
      if (type != Type.EVP && (value == null || value.isBlank())) {
        throw new ParameterException(spec.commandLine(),
            "--value is required with --type " + type.name().toLowerCase(java.util.Locale.ROOT));
      }
      var request = AddPixKeyRequest.newBuilder().setAccount(account).setType(type.wire);
      if (value != null) {
        request.setValue(value);
      }
      AddPixKeyResponse response = global.call(bank -> bank.bank().addPixKey(request.build()));
      global.print(response, out -> out.println("added PIX key " + describe(response.getKey())));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the PIX keys of an account.")
  static final class ListAll implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "e.g. alpha:1001.")
    private String account;

    @Override
    public Integer call() {
      ListPixKeysResponse response =
          global.call(bank -> bank.bank().listPixKeys(ListPixKeysRequest.newBuilder().setAccount(account).build()));
      global.print(response, out -> {
        Table table = new Table().left("TYPE").left("KEY").left("ACCOUNT");
        response.getKeysList().forEach(k -> table.row(WireText.label(k.getType()), k.getValue(), k.getAccount()));
        table.print(out, "no PIX keys on " + account);
      });
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a PIX key from an account.")
  static final class Remove implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--account", required = true, paramLabel = "BANK:NUMBER", description = "The account it names.")
    private String account;

    @Option(names = "--value", required = true, paramLabel = "KEY", description = "The key, as `pix list` shows it.")
    private String value;

    @Override
    public Integer call() {
      RemovePixKeyResponse response = global.call(bank -> bank.bank()
          .removePixKey(RemovePixKeyRequest.newBuilder().setAccount(account).setValue(value).build()));
      global.print(response, out -> out.println("removed PIX key " + describe(response.getKey())));
      return 0;
    }
  }
}
