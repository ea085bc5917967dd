package dev.distribank.cli.load;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.distribank.cli.BankConnection;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CPU time a run took, from just before its first call to its last answer (not the set-up, not the audit and
 * ledger check after it): the load generator's own, and each bank's as its {@code GetClusterStatus} says.
 *
 * @param loadMicros the load generator's process
 * @param bankMicros by bank; a bank missing did not answer one of the two samples
 */
record CpuUse(long loadMicros, Map<String, Long> bankMicros) {
  /** The CPU times used so far: this process's, and each bank's. */
  static CpuUse sample(Map<String, BankConnection> banks) {
    var byBank = new LinkedHashMap<String, Long>();
    banks.forEach((bank, connection) -> {
      try {
        long micros = connection.admin().getClusterStatus(GetClusterStatusRequest.getDefaultInstance())
            .getProcessCpuMicros();
        if (micros > 0) {
          byBank.put(bank, micros);
        }
      } catch (StatusRuntimeException unanswered) {
        // Left out: the run's CPU is then that of the banks that answered both times.
      }
    });
    long self = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1_000;
    return new CpuUse(self, byBank);
  }

  /** What was used from {@code before} to this sample. */
  CpuUse since(CpuUse before) {
    var byBank = new LinkedHashMap<String, Long>();
    bankMicros.forEach((bank, micros) -> {
      Long was = before.bankMicros.get(bank);
      if (was != null) {
        byBank.put(bank, micros - was);
      }
    });
    return new CpuUse(loadMicros - before.loadMicros, byBank);
  }

  long banksMicros() {
    return bankMicros.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Per committed transaction: {@code banks}, {@code load} and each bank's; null values when none committed. */
  JsonObject json(long committed) {
    var out = new JsonObject();
    out.addProperty("banksSeconds", banksMicros() / 1e6);
    out.addProperty("loadSeconds", loadMicros / 1e6);
    out.addProperty("banksCounted", bankMicros.size());
    if (committed == 0) {
      out.add("banksMicrosPerCommitted", JsonNull.INSTANCE);
      out.add("loadMicrosPerCommitted", JsonNull.INSTANCE);
    } else {
      out.addProperty("banksMicrosPerCommitted", banksMicros() / committed);
      out.addProperty("loadMicrosPerCommitted", loadMicros / committed);
    }
    var byBank = new JsonObject();
    bankMicros.forEach((bank, micros) -> byBank.addProperty(bank, micros / 1e6));
    out.add("bankSeconds", byBank);
    return out;
  }

  /** One line: the CPU per committed transaction, of the banks (each) and of the load generator. */
  String text(long committed, int banks) {
    if (committed == 0) {
      return "cpu: nothing committed";
    }
    var each = new StringJoiner(", ");
    bankMicros.forEach((bank, micros) -> each.add(bank + " " + micros / committed));
    String missing = bankMicros.size() == banks ? "" : String.format(Locale.ROOT, "; %d of %d banks did not say",
        banks - bankMicros.size(), banks);
    return String.format(Locale.ROOT, "cpu per committed transaction: banks %d µs (%s), load generator %d µs%s",
        banksMicros() / committed, each, loadMicros / committed, missing);
  }
}
