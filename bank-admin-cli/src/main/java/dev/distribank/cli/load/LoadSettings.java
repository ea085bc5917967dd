package dev.distribank.cli.load;

import java.time.Duration;
import java.util.Map;

/**
 * A load run's settings, checked by {@link LoadOptions#settings()}: which banks, how many accounts holding how much,
 * how many clients for how long, the random mix, the seed, the retry budget and, for the open loop, the rate. The
 * ratios are probabilities of the random mix and the rate is calls a second, not money, hence doubles; every amount
 * is long centavos.
 *
 * @param targets the banks to load, by id, with their addresses, in the order given
 * @param transactions how many transactions to start in all, or 0 for as many as fit in {@code duration}
 * @param retries how many times a transfer whose outcome is unknown is repeated with its request id
 * @param clients how many clients: in the open loop, the most calls in flight at once
 * @param batchSize transfers per call: 1 sends each as a Transfer, more a SubmitTransactions of that many
 * @param ratePerSecond the open loop's calls a second in all (--rate), or 0 for the closed loop
 */
record LoadSettings(Map<String, String> targets, int accountsPerBank, long initialBalanceCents, int clients,
    Duration duration, long transactions, double crossBankRatio, double multiLegRatio, double overdraftRatio,
    long seed, int retries, int batchSize, double ratePerSecond) {
  /** Whether calls go out on a fixed schedule (--rate) rather than each after the last is answered. */
  boolean openLoop() {
    return ratePerSecond > 0;
  }

  /** The same mix for {@code warmUp} (no transaction budget), from another seed: a warm-up before the run. */
  LoadSettings warmUp(Duration warmUp) {
    return new LoadSettings(targets, accountsPerBank, initialBalanceCents, clients, warmUp, 0, crossBankRatio,
        multiLegRatio, overdraftRatio, seed + 1, retries, batchSize, ratePerSecond);
  }
}
