package dev.distribank.node.core.order;

/**
 * The heap of every benchmark's forked JVM: fixed, and touched up front. On the build machine (a VM whose kernel
 * reclaims idle memory) memory a JVM touches for the first time, or again after the kernel took it back, costs page
 * faults, and with the default growing heap the scores of the core benchmarks swung 5× between iterations of the same
 * run (0.5 ms and 3 ms for one batch, no GC in the slow ones); with this heap they agree within a few percent. 2 GB
 * holds the largest live set (four cores with their bounded history) several times over.
 */
public final class ForkedHeap {
  public static final String MIN = "-Xms2g";
  public static final String MAX = "-Xmx2g";
  public static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

  private ForkedHeap() {}
}
