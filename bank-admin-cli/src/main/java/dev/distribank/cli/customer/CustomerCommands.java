package dev.distribank.cli.customer;

import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.CreateCustomerRequest;
import dev.distribank.proto.bank.v1.CreateCustomerResponse;
import dev.distribank.proto.bank.v1.Customer;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bank-admin customer ...}: signing customers up. */
@Command(name = "customer", mixinStandardHelpOptions = true,
    description = "Register customers: people (CPF) and companies (CNPJ).",
    subcommands = CustomerCommands.Create.class)
public final class CustomerCommands {

  /** One line about a customer: "ana (individual, CPF 52998224725) at alpha: Ana Souza". */
  static String describe(Customer c) {
    String taxId = switch (c.getKind()) {
      case CUSTOMER_KIND_INDIVIDUAL -> "CPF ";
      case CUSTOMER_KIND_COMPANY -> "CNPJ ";
      default -> "";
    };
    return c.getLogin() + " (" + WireText.label(c.getKind()) + ", " + taxId + c.getTaxId() + ") at " + c.getBank()
        + ": " + c.getName();
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Register a person (--cpf) or a company (--cnpj) with a login unique in the bank.")
  static final class Create implements Callable<Integer> {
    @Mixin
    private GlobalOptions global;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Full name, or the company's name.")
    private String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private TaxId taxId;

    @Option(names = "--login", required = true, paramLabel = "LOGIN",
        description = "3 to 32 characters of a-z, 0-9, '.', '_' or '-'.")
    private String login;

    @Option(names = "--password", required = true, paramLabel = "PASSWORD", arity = "0..1", interactive = true,
        description = "The password; give --password alone to be asked for it instead of leaving it in the history.")
    private String password;

    /** Exactly one of CPF or CNPJ. */
    static final class TaxId {
      @Option(names = "--cpf", required = true, paramLabel = "CPF",
          description = "A person's CPF, 11 digits; dots and dashes are ignored.")
      private String cpf;

      @Option(names = "--cnpj", required = true, paramLabel = "CNPJ",
          description = "A company's CNPJ, 14 digits; dots, slashes and dashes are ignored.")
      private String cnpj;
    }

    @Override
    public Integer call() {
      var request = CreateCustomerRequest.newBuilder().setName(name).setLogin(login).setPassword(password);
      if (taxId.cpf != null) {
        request.setCpf(taxId.cpf);
      } else {
        request.setCnpj(taxId.cnpj);
      }
      CreateCustomerResponse response = global.call(bank -> bank.bank().createCustomer(request.build()));
      global.print(response, out -> out.println("created customer " + describe(response.getCustomer())));
      return 0;
    }
  }
}
