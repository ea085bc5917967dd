package dev.distribank.node.core.order;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The ordering protocol's timing, in ticks of {@link #tickMillis}: one place for "re-send after 1 s", "abort after
 * 10 s" and "ask the coordinator after 15 s", checked together so no combination that cannot work gets to run.
 *
 * @param tickMillis how long one tick is on the node's wall clock (the simulation ticks without a clock)
 * @param resendTicks ticks between re-sends of unanswered proposals, decisions and inquiries
 * @param abortTicks ticks a coordinator waits for every vote before it aborts
 * @param answerTicks ticks a client waits, after COMMIT, for a slow participant to confirm before it is answered
 * @param inquireTicks ticks a participant holding a YES vote waits for the decision before it asks the coordinator
 * @param batchVoteSignatures whether the YES votes of one step share one signature ({@link VoteBatch}), or each is
 *     signed alone, as banks of versions before batching expect
 */
public record OrderConfig(long tickMillis, int resendTicks, int abortTicks, int answerTicks, int inquireTicks,
    boolean batchVoteSignatures) {
  /** 200 ms ticks: re-send every 1 s, abort after 10 s, answer after 2 s, inquire after 15 s; votes batched. */
  public static final OrderConfig DEFAULT = new OrderConfig(200, 5, 50, 10, 75, true);

  public OrderConfig {
    validate(tickMillis, resendTicks, abortTicks, answerTicks, inquireTicks);
  }

  /** The timing alone, votes batched. */
  public OrderConfig(long tickMillis, int resendTicks, int abortTicks, int answerTicks, int inquireTicks) {
    this(tickMillis, resendTicks, abortTicks, answerTicks, inquireTicks, true);
  }

  /** The same, with vote signatures batched or one per vote. */
  public OrderConfig withBatchVoteSignatures(boolean batched) {
    return new OrderConfig(tickMillis, resendTicks, abortTicks, answerTicks, inquireTicks, batched);
  }

  private static void validate(long tickMillis, int resendTicks, int abortTicks, int answerTicks, int inquireTicks) {
    checkArgument(tickMillis >= 1, "a tick lasts at least 1 ms, got %s", tickMillis);
    checkArgument(resendTicks >= 1 && abortTicks >= 1 && answerTicks >= 1 && inquireTicks >= 1,
        "every tick count is at least 1: resend %s, abort %s, answer %s, inquire %s", resendTicks, abortTicks,
        answerTicks, inquireTicks);
    checkArgument(resendTicks < abortTicks,
        "a proposal must be re-sent (every %s ticks) before the coordinator gives up on it (%s)", resendTicks,
        abortTicks);
    checkArgument(abortTicks < inquireTicks, "a participant asks (after %s ticks) only once the coordinator would"
        + " have aborted on its own (%s), so an inquiry does not race the vote time-out", inquireTicks, abortTicks);
  }

  /** {@code ticks} as wall-clock milliseconds, for messages that tell a person how long something takes. */
  public long millis(int ticks) {
    return ticks * tickMillis;
  }
}
