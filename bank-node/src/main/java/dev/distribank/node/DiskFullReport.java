package dev.distribank.node;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.distribank.node.api.Errors;
import dev.distribank.node.store.DiskFull;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What a bank node that stopped taking work for want of room says about it: in full to its operator (the log, the
 * health-only port, the peer port, AdminService calls with the admin token), and without the store's paths to
 * anyone else (the public port's customers).
 *
 * @param bank this bank's id
 * @param dataDir the data directory that has no room
 * @param diskFull which limit the store ran into, in RocksDB's words
 * @param freeBytes the bytes free on the data directory's filesystem when last measured, -1 if unknown
 * @param since when the node stopped taking work
 * @param retry how often it tries to open its store again
 */
record DiskFullReport(String bank, Path dataDir, DiskFull diskFull, long freeBytes, Instant since, Duration retry) {
  /** The ErrorInfo reason of every call refused for want of room. */
  static final String REASON = "DISK_FULL";

  /** The same report with free space measured again. */
  DiskFullReport measured(DiskFull now) {
    return new DiskFullReport(bank, dataDir, now, DiskFull.freeBytes(dataDir), since, retry);
  }

  /** For the operator: where, how full, that nothing acknowledged is lost, and what happens next. */
  String forOperator() {
    String until = diskFull.kind() == DiskFull.Kind.NO_SPACE
        ? "once " + NodeSupervisor.RESUME_FREE_BYTES + " bytes are free on it"
        : "once its writes fit (raise the limit or run it without one)";
    return "bank " + bank + " is not taking work: " + diskFull.describe(dataDir, freeBytes) + ". Nothing it "
        + "acknowledged is lost; it tries to open its store every " + retry.toSeconds() + " s and serves again, "
        + "recovered from its store as after a restart, " + until;
  }

  /** For anyone: the cause, without the store's paths. */
  String forClients() {
    return "bank " + bank + " is not taking work: its disk is full. Nothing it acknowledged is lost; try again once "
        + "it reports SERVING";
  }

  /**
   * The answer to every call: UNAVAILABLE (a client may retry, later or elsewhere), one ErrorInfo {@code DISK_FULL}
   * (with where and how full for the operator) and a RetryInfo of the retry period.
   */
  com.google.rpc.Status status(boolean operator) {
    var info = ErrorInfo.newBuilder().setReason(REASON).setDomain(Errors.DOMAIN).putMetadata("bank", bank);
    if (operator) {
      info.putMetadata("data_dir", dataDir.toString())
          .putMetadata("free_bytes", Long.toString(freeBytes))
          .putMetadata("limit", diskFull.kind().name().toLowerCase(java.util.Locale.ROOT))
          .putMetadata("since", since.toString());
    }
    return com.google.rpc.Status.newBuilder().setCode(Code.UNAVAILABLE.getNumber())
        .setMessage(operator ? forOperator() : forClients())
        .addDetails(Any.pack(info.build()))
        .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(retry.toSeconds())).build()))
        .build();
  }
}
