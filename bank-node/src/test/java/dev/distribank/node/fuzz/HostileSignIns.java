package dev.distribank.node.fuzz;

import static dev.distribank.node.fuzz.HostileMoves.pick;
import static io.grpc.Status.Code.ALREADY_EXISTS;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.RESOURCE_EXHAUSTED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static io.grpc.Status.Code.UNIMPLEMENTED;

import com.google.protobuf.Message;
import dev.distribank.node.fuzz.Attempt.Caller;
import dev.distribank.node.fuzz.Attempt.Expect;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.CreateCustomerRequest;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.ListCustomersRequest;
import dev.distribank.proto.bank.v1.ListOperationsRequest;
import dev.distribank.proto.bank.v1.LoginRequest;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.GetClockRequest;
import dev.distribank.proto.peer.v1.GetSnapshotRequest;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.Random;

/**
 * Sign-ups that must fail (hostile names, bad CPFs and CNPJs, hostile logins, weak passwords, a taken login or CPF),
 * sign-ins with wrong passwords and hostile logins (throttled after a few: RESOURCE_EXHAUSTED is then right),
 * AdminService without the admin token or with bad pages, and PeerService without the peer token.
 */
final class HostileSignIns {
  private static final String NAME = "Vera Lúcia";

  private final Scenario s;
  private final GarbageRequests filler;

  HostileSignIns(Scenario s, GarbageRequests filler) {
    this.s = s;
    this.filler = filler;
  }

  Attempt next(Random r) {
    return switch (r.nextInt(10)) {
      case 0, 1, 2, 3 -> signUp(r);
      case 4, 5 -> signIn(r);
      case 6, 7 -> admin(r);
      default -> peer(r);
    };
  }

  /** Every sign-up has at least one bad field, or reuses the victim's CPF (taken at both banks) or a taken login. */
  private Attempt signUp(Random r) {
    String bank = r.nextBoolean() ? Scenario.ALPHA : Scenario.BETA;
    var req = CreateCustomerRequest.newBuilder().setName(NAME).setCpf(Scenario.VICTIM_CPF)
        .setLogin("newcomer" + r.nextInt(1000)).setPassword("a long enough password");
    boolean malformed = true;
    switch (r.nextInt(8)) {
      case 0 -> req.setName(badName(r));
      case 1 -> req.setCpf(badTaxId(r, Scenario.VICTIM_CPF));
      case 2 -> req.setCnpj(badTaxId(r, Cpfs.cnpj(12_345_678)));
      case 3 -> req.clearCpf();
      case 4 -> req.setLogin(HostileText.strict(r, pick(r, List.of("newcomer", "vera", "mallory"))));
      case 5 -> req.setPassword(r.nextBoolean() ? "short" : "p".repeat(129 + r.nextInt(HostileText.HUGE_LENGTH)));
      case 6 -> {
        req.setCpf(freshCpf(r)).setLogin(bank.equals(Scenario.ALPHA) ? pick(r, List.of("vera", "sam"))
            : pick(r, List.of("mallory", "vitor")));
        malformed = false;
      }
      default -> malformed = false; // the victim's CPF, a fresh login
    }
    // Only a well-formed sign-up is hashed, so only it may meet a full hashing queue.
    Expect expect = malformed ? Expect.refused(INVALID_ARGUMENT) : Expect.refused(ALREADY_EXISTS, RESOURCE_EXHAUSTED);
    Caller caller = r.nextBoolean() ? Caller.NOBODY : pick(r, List.of(s.stranger, s.impostor, Scenario.forged(r)));
    return Attempt.of("sign-up", bank, BankServiceGrpc.getCreateCustomerMethod(), caller, req.build(), expect);
  }

  /** A well-formed sign-up with the victim's CPF, taken at both banks: it is hashed before it is refused. */
  Attempt takenSignUp(Random r, String bank) {
    var req = CreateCustomerRequest.newBuilder().setName(NAME).setCpf(Scenario.VICTIM_CPF)
        .setLogin("flood" + r.nextInt(1_000_000)).setPassword("a long enough password " + r.nextInt());
    return Attempt.of("sign-up-burst", bank, BankServiceGrpc.getCreateCustomerMethod(), Caller.NOBODY, req.build(),
        Expect.refused(ALREADY_EXISTS, RESOURCE_EXHAUSTED));
  }

  /** Never the right password; after five failures from this address every attempt must wait. */
  private Attempt signIn(Random r) {
    String bank = r.nextBoolean() ? Scenario.ALPHA : Scenario.BETA;
    var req = LoginRequest.newBuilder().setPassword(wrongPassword(r));
    Expect expect;
    switch (r.nextInt(3)) {
      case 0 -> {
        req.setLogin(HostileText.forbidden(r, pick(r, List.of("vera", "sam", "mallory"))));
        expect = Expect.refused(INVALID_ARGUMENT, RESOURCE_EXHAUSTED); // a forbidden login is refused as text
      }
      case 1 -> {
        req.setLogin(HostileText.misspell(r, "vera"));
        expect = Expect.refused(INVALID_ARGUMENT, UNAUTHENTICATED, RESOURCE_EXHAUSTED);
      }
      default -> {
        req.setLogin(pick(r, List.of("vera", "sam", "mallory", "vitor")));
        expect = Expect.refused(UNAUTHENTICATED, RESOURCE_EXHAUSTED);
      }
    }
    Caller caller = r.nextBoolean() ? Caller.NOBODY : pick(r, List.of(s.victim, s.stranger, Scenario.forged(r)));
    return Attempt.of("sign-in", bank, BankServiceGrpc.getLoginMethod(), caller, req.build(), expect);
  }

  /** Customers' tokens, forged ones and none get UNAUTHENTICATED; the admin token with a bad page, INVALID_ARGUMENT. */
  private Attempt admin(Random r) {
    String bank = r.nextBoolean() ? Scenario.ALPHA : Scenario.BETA;
    Caller caller = pick(r, List.of(Caller.NOBODY, Scenario.forged(r), s.victim, s.stranger, s.impostor,
        new Caller("the admin token", Scenario.ADMIN_TOKEN)));
    if (caller.token().equals(Scenario.ADMIN_TOKEN)) {
      boolean customers = r.nextBoolean();
      int size = r.nextBoolean() ? -1 - r.nextInt(Integer.MAX_VALUE) : r.nextInt(2000);
      // ListCustomers reads any token as a login to start after, so only its page size can be wrong.
      String token = customers || size < 0 ? "" : pick(r, List.of("-1", "abc", "1.5", " 7", "99999999999999999999",
          HostileText.forbidden(r, "7")));
      Message req = customers ? ListCustomersRequest.newBuilder().setPageSize(Math.min(size, -1)).build()
          : ListOperationsRequest.newBuilder().setPageSize(size).setPageToken(token).build();
      return Attempt.of("admin/bad-page", bank, customers ? AdminServiceGrpc.getListCustomersMethod()
          : AdminServiceGrpc.getListOperationsMethod(), caller, req, Expect.refused(INVALID_ARGUMENT));
    }
    MethodDescriptor<?, ?> method;
    Message req;
    switch (r.nextInt(4)) {
      case 0 -> {
        method = AdminServiceGrpc.getListCustomersMethod();
        req = ListCustomersRequest.newBuilder().setPageSize(r.nextInt(2000)).build();
      }
      case 1 -> {
        method = AdminServiceGrpc.getListOperationsMethod();
        req = ListOperationsRequest.newBuilder().setPageSize(r.nextInt(2000)).build();
      }
      case 2 -> {
        method = AdminServiceGrpc.getAuditMethod();
        req = AuditRequest.getDefaultInstance();
      }
      default -> {
        method = AdminServiceGrpc.getGetClusterStatusMethod();
        req = GetClusterStatusRequest.getDefaultInstance();
      }
    }
    return Attempt.of("admin/not-admin", bank, method, caller, req, Expect.refused(UNAUTHENTICATED));
  }

  /**
   * PeerService called on the public port, with any token: it is not served there (only on the peer port, behind
   * mutual TLS), so nobody gets further than UNIMPLEMENTED.
   */
  private Attempt peer(Random r) {
    String bank = r.nextBoolean() ? Scenario.ALPHA : Scenario.BETA;
    Caller caller = pick(r, List.of(Caller.NOBODY, Scenario.forged(r), s.victim, s.impostor,
        new Caller("the admin token", Scenario.ADMIN_TOKEN)));
    MethodDescriptor<?, ?> method;
    Message req;
    switch (r.nextInt(3)) {
      case 0 -> {
        method = PeerServiceGrpc.getGetClockMethod();
        req = GetClockRequest.getDefaultInstance();
      }
      case 1 -> {
        method = PeerServiceGrpc.getGetSnapshotMethod();
        req = GetSnapshotRequest.newBuilder().setAtCounter(r.nextBoolean() ? r.nextLong() : Long.MAX_VALUE).build();
      }
      default -> {
        // A forged protocol batch, say a decision for a transaction that never was, claiming to come from a bank.
        method = PeerServiceGrpc.getExchangeMethod();
        req = ExchangeRequest.newBuilder().mergeFrom(filler.filled(r, ExchangeRequest.getDescriptor(), 0))
            .setFromBank(pick(r, List.of("alpha", "beta", "zeta"))).build();
      }
    }
    return Attempt.of("peer/on-public-port", bank, method, caller, req, Expect.refused(UNIMPLEMENTED));
  }

  private static String badName(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> "\u0000" + NAME;
      case 1 -> "\u001B[31m" + NAME + "\u001B[0m";
      case 2 -> NAME + "\u202E" + "lanigiro";
      case 3 -> "é".repeat(r.nextBoolean() ? 200 : 121 + r.nextInt(200)); // the limit is 120 code points
      case 4 -> " ".repeat(1 + r.nextInt(10));
      case 5 -> "";
      case 6 -> HostileText.huge(r, NAME);
      default -> HostileText.forbidden(r, NAME);
    };
  }

  /** A CPF or CNPJ no bank may accept: a wrong check digit, a wrong length, letters, other scripts' digits. */
  private static String badTaxId(Random r, String valid) {
    char last = valid.charAt(valid.length() - 1);
    String head = valid.substring(0, valid.length() - 1);
    return switch (r.nextInt(9)) {
      case 0 -> head + (char) ('0' + (last - '0' + 1 + r.nextInt(9)) % 10);
      case 1 -> valid.substring(1);
      case 2 -> valid + "0";
      case 3 -> String.valueOf((char) ('0' + r.nextInt(10))).repeat(valid.length());
      case 4 -> head + "X";
      case 5 -> valid.replace('5', '٥').replace('2', '٢').replace('0', '٠') + "٣";
      case 6 -> head.substring(0, 3) + "\u0000" + valid.substring(3);
      case 7 -> HostileText.huge(r, valid);
      default -> "";
    };
  }

  private static String freshCpf(Random r) {
    int base = 500_000_000 + r.nextInt(400_000_000);
    return Cpfs.cpf(base % 111_111_111 == 0 ? base + 1 : base);
  }

  /** Anything but {@link Scenario#PASSWORD}, often close to it. */
  private static String wrongPassword(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Scenario.PASSWORD + " ";
      case 1 -> "Correct horse";
      case 2 -> Scenario.PASSWORD + HostileText.forbiddenCodePoint(r);
      case 3 -> "";
      case 4 -> HostileText.huge(r, Scenario.PASSWORD);
      default -> "guess-" + r.nextInt(1_000_000);
    };
  }
}
