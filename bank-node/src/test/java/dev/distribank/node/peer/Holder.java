package dev.distribank.node.peer;

import dev.distribank.node.testing.Clients;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetBalanceResponse;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.stub.MetadataUtils;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One customer of a test: a login and one account at each bank it joined, each move signed in at its own bank. */
final class Holder {
  private final String login;
  private final String cpf;
  /** The bank's clients now (a restarted node has new ones). */
  private final Function<String, Clients> clients;
  private final Map<String, String> tokens = new HashMap<>();
  private final Map<String, String> accounts = new HashMap<>();

  Holder(String login, String cpf, Function<String, Clients> clients) {
    this.login = login;
    this.cpf = cpf;
    this.clients = clients;
  }

  /** Signs up at {@code bank} and opens an account there. */
  Holder join(String bank) {
    Clients at = clients.apply(bank);
    String token = at.signUp(login, cpf);
    tokens.put(bank, token);
    accounts.put(bank, at.as(token).openAccount(OpenAccountRequest.newBuilder()
        .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount());
    return this;
  }

  String account(String bank) {
    return accounts.get(bank);
  }

  BankServiceGrpc.BankServiceBlockingStub at(String bank) {
    return clients.apply(bank).as(tokens.get(bank));
  }

  /** An asynchronous stub signed in at {@code bank}, for floods. */
  BankServiceGrpc.BankServiceStub async(String bank) {
    return BankServiceGrpc.newStub(clients.apply(bank).channel()).withDeadlineAfter(120, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(Clients.bearer(tokens.get(bank))));
  }

  void deposit(String bank, long cents) {
    at(bank).deposit(DepositRequest.newBuilder().setAccount(account(bank)).setAmountCents(cents).build());
  }

  GetBalanceResponse balance(String bank) {
    return at(bank).getBalance(GetBalanceRequest.newBuilder().setAccount(account(bank)).build());
  }

  /** {@code legs} legs of {@code cents} each from this holder's account at {@code from} to theirs at {@code to}. */
  TransferRequest transfer(String from, String to, long cents, int legs) {
    var request = TransferRequest.newBuilder();
    for (int i = 0; i < legs; i++) {
      request.addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER).setFromAccount(account(from))
          .setToAccount(account(to)).setAmountCents(cents));
    }
    return request.build();
  }

  /**
   * {@code legs} deposits of {@code cents} each into this holder's account at {@code bank}, as one transaction: sent
   * to any other bank, it coordinates a transaction whose only participant is {@code bank}.
   */
  TransferRequest deposits(String bank, long cents, int legs) {
    var request = TransferRequest.newBuilder();
    for (int i = 0; i < legs; i++) {
      request.addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_DEPOSIT).setToAccount(account(bank))
          .setAmountCents(cents));
    }
    return request.build();
  }
}
