package dev.distribank.node.core.order;

import java.util.Random;

/**
 * How often each kind of event happens in one seed's run, drawn from the seed so that runs differ in kind, not only in
 * detail: busy or idle clients, a fast or slow clock, a clean or lossy network, crashes or none.
 *
 * @param tickPerMille per mille, not percent: a bank's tick must stand for many deliveries, as 200 ms does for a real
 *     network; mostly slow, on some seeds fast (for vote time-outs and inquiries)
 */
record SimulationMix(int submitPercent, int tickPerMille, int dropPercent, int duplicatePercent, int auditPercent,
    int partitionPerMille, int crashPerMille) {

  static SimulationMix draw(Random random, int banks) {
    int submit = 3 + random.nextInt(40);
    int tick = random.nextInt(10) < 7 ? 2 + random.nextInt(28) : 30 + random.nextInt(120);
    int drop = random.nextInt(3) == 0 ? 0 : random.nextInt(10);
    int duplicate = random.nextInt(15);
    int audit = random.nextInt(3);
    int partition = random.nextBoolean() || banks == 1 ? 0 : 1 + random.nextInt(3);
    int crash = random.nextBoolean() ? 0 : 1 + random.nextInt(3);
    return new SimulationMix(submit, tick, drop, duplicate, audit, partition, crash);
  }

  @Override
  public String toString() {
    return String.format("per step: submit %d%%, tick %d‰, lose %d%%, duplicate %d%%, audit %d%%, cut-off %d‰, "
        + "crash %d‰", submitPercent, tickPerMille, dropPercent, duplicatePercent, auditPercent, partitionPerMille,
        crashPerMille);
  }
}
