package dev.distribank.node.api;

import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.proto.bank.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Control, format (bidi), separator, private-use and unassigned characters are refused with a BadRequest naming the
 * field, never stripped; names are stored in NFC and measured in code points. Against a real node.
 */
class TextHygieneTest {
  @TempDir Path dir;
  BankNode node;
  Clients clients;
  String ana;
  String account;

  @BeforeEach
  void start() throws Exception {
    node = BankNode.start(NodeConfig.forTest("alpha", dir));
    clients = new Clients(node.port());
    ana = clients.signUp("ana", Cpfs.cpf(1));
    account = clients.as(ana).openAccount(OpenAccountRequest.newBuilder().setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL)
        .build()).getAccount().getAccount();
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    node.close();
  }

  static String field(StatusRuntimeException e) {
    return StatusProto.fromThrowable(e).getDetailsList().stream().filter(d -> d.is(BadRequest.class)).findFirst()
        .map(d -> {
          try {
            return d.unpack(BadRequest.class).getFieldViolations(0).getField();
          } catch (com.google.protobuf.InvalidProtocolBufferException x) {
            throw new IllegalStateException(x);
          }
        }).orElse("");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\u001b[31m", "\u202E", "\u2066", "\u200B", "\uFEFF", "\u0378", "\uE000",
      "\u2028", "\u0085", "\t"})
  void accountIdWithAForbiddenCharacter_refusedNamingTheField_nothingCredited(String bad) {
    for (String id : new String[] {bad + account, account + bad}) {
      var e = assertThrows(StatusRuntimeException.class, () -> clients.as(ana).transfer(TransferRequest.newBuilder()
          .addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_DEPOSIT).setToAccount(id).setAmountCents(100)).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertEquals("INVALID_ACCOUNT_ID", reason(e));
      assertEquals("legs[0].to_account", field(e));
      assertTrue(e.getStatus().getDescription().contains("U+"), e.getStatus().getDescription());
    }
    assertEquals(0, clients.as(ana).getBalance(GetBalanceRequest.newBuilder().setAccount(account).build())
        .getBalanceCents(), "nothing was credited to the stripped id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ana\u0000Souza", "\u001b[2JAna", "Ana \u202Egnp.exe", "Ana\u2028Souza", "Ana\u0378",
      "   ", ""})
  void customerNameWithForbiddenCharactersOrEmpty_refused(String name) {
    var e = assertThrows(StatusRuntimeException.class, () -> clients.anonymous().createCustomer(
        CreateCustomerRequest.newBuilder().setName(name).setCpf(Cpfs.cpf(9)).setLogin("bia")
            .setPassword("correct horse").build()));
    assertEquals("INVALID_NAME", reason(e));
    assertEquals("name", field(e));
  }

  @Test
  void names_storedInNfc_limitedInCodePoints() {
    var created = clients.anonymous().createCustomer(CreateCustomerRequest.newBuilder()
        .setName("  Jose\u0301 Souza ").setCpf(Cpfs.cpf(9)).setLogin("jose").setPassword("correct horse").build());
    assertEquals("Jos\u00e9 Souza", created.getCustomer().getName(), "composed, surrounding spaces dropped");

    String emoji120 = "\uD83D\uDE00".repeat(120);
    assertEquals(emoji120, clients.anonymous().createCustomer(CreateCustomerRequest.newBuilder().setName(emoji120)
        .setCpf(Cpfs.cpf(10)).setLogin("smile").setPassword("correct horse").build()).getCustomer().getName(),
        "120 code points fit, though they are 240 UTF-16 units");
    var tooLong = assertThrows(StatusRuntimeException.class, () -> clients.anonymous().createCustomer(
        CreateCustomerRequest.newBuilder().setName(emoji120 + "x").setCpf(Cpfs.cpf(11)).setLogin("smile2")
            .setPassword("correct horse").build()));
    assertEquals("INVALID_NAME", reason(tooLong));
  }

  @Test
  void pixKeyOrLoginWithControlCharacters_refused_neverStripped() {
    clients.as(ana).addPixKey(AddPixKeyRequest.newBuilder().setAccount(account).setType(PixKeyType.PIX_KEY_TYPE_EMAIL)
        .setValue("ana@example.com").build());
    var e = assertThrows(StatusRuntimeException.class, () -> clients.as(ana).removePixKey(RemovePixKeyRequest
        .newBuilder().setAccount(account).setValue("\u0000ana@example.com").build()));
    assertEquals("INVALID_PIX_KEY", reason(e), "no key holds a NUL: refused, not stripped and found");
    assertEquals("value", field(e));
    var login = assertThrows(StatusRuntimeException.class, () -> clients.anonymous().createCustomer(
        CreateCustomerRequest.newBuilder().setName("Bia").setCpf(Cpfs.cpf(9)).setLogin("bia\u0000")
            .setPassword("correct horse").build()));
    assertEquals("INVALID_LOGIN", reason(login));
    assertEquals(1, clients.as(ana).listPixKeys(ListPixKeysRequest.newBuilder().setAccount(account).build())
        .getKeysCount());
  }
}
