package dev.distribank.cli.load;

import java.time.Duration;
import java.util.Map;

/**
 * A load run's settings, checked by {@link LoadOptions#settings()}: which banks, how many accounts holding how much,
 * how many clients for how long, the random mix, the seed and the retry budget. The ratios are probabilities of the
 * random mix, not money, hence doubles; every amount is long centavos.
 *
 * @param targets the banks to load, by id, with their addresses, in the order given
 * @param transactions how many transactions to start in all, or 0 for as many as fit in {@code duration}
 * @param retries how many times a transfer whose outcome is unknown is repeated with its request id
 * @param batchSize transfers per call: 1 sends each as a Transfer, more a SubmitTransactions of that many
 */
record LoadSettings(Map<String, String> targets, int accountsPerBank, long initialBalanceCents, int clients,
    Duration duration, long transactions, double crossBankRatio, double multiLegRatio, double overdraftRatio,
    long seed, int retries, int batchSize) {}
