package dev.distribank.node.peer;

import dev.distribank.bench.Transfers;
import dev.distribank.node.core.order.Envelope;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.ForkedHeap;
import dev.distribank.node.core.order.Ready;
import dev.distribank.node.core.order.TwoBanks;
import dev.distribank.proto.peer.v1.ExchangeRequest;
import dev.distribank.proto.peer.v1.ExchangeResponse;
import dev.distribank.proto.peer.v1.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A batch of cross-bank transfers on the wire between two banks: every protocol message of it — proposals,
 * votes, decisions with their signed votes, confirmations — as the peer link sends them: converted to protobuf
 * ({@link PeerProtos#toProto} each alone, or with {@code batched} runs of one kind in one body, {@link
 * PeerBatches#encode}, as a bank that reads bodies is sent them), queued, cut into frames ({@link OutboundQueue}) and each frame serialized, alpha's
 * as {@code ExchangeRequest}s (it dials), beta's as {@code ExchangeResponse}s. {@code decode} is the receiving side:
 * frames parsed and converted back. A score is one batch; the {@code transfers} row is per transfer.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {ForkedHeap.MIN, ForkedHeap.MAX, ForkedHeap.PRE_TOUCH})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PeerFramesBenchmark {
  @Param({"100", "1000"})
  public int transfers;

  @Param({"true", "false"})
  public boolean batched;

  /** One bank's messages of one protocol step. */
  private record Step(String from, String to, List<Envelope> messages) {}

  /** One frame as it goes on the stream, from {@code from}. */
  private record Frame(String from, byte[] bytes) {}

  private final List<Step> steps = new ArrayList<>();
  private List<Frame> frames;

  @Setup(Level.Trial)
  public void batch() {
    var banks = new TwoBanks();
    TwoBanks.Exchange run = banks.run(banks.nextTransfers(transfers));
    List<Ready> alpha = run.alphaSteps();
    List<Ready> beta = run.betaSteps();
    for (Ready step : List.of(alpha.get(0), beta.get(0), alpha.get(1), beta.get(1), alpha.get(2))) {
      if (!step.sent().isEmpty()) {
        Envelope first = step.sent().get(0);
        steps.add(new Step(first.from(), first.to(), step.sent()));
      }
    }
    frames = encode();
  }

  /** What was measured, in bytes: printed with the scores of the run. */
  @TearDown(Level.Trial)
  public void report() {
    long bytes = frames.stream().mapToLong(f -> f.bytes().length).sum();
    long messages = steps.stream().mapToLong(s -> s.messages().size()).sum();
    System.out.printf("%,d transfers%s: %,d peer messages in %,d frames, %,d bytes (%,d bytes per transfer)%n",
        transfers, batched ? " batched" : "", messages, frames.size(), bytes, bytes / transfers);
  }

  @Benchmark
  public List<Frame> encode(Transfers counted) {
    counted.transfers += transfers;
    return encode();
  }

  @Benchmark
  public int decode(Transfers counted) throws Exception {
    int decoded = 0;
    for (Frame frame : frames) {
      boolean fromAlpha = frame.from().equals("alpha");
      List<PeerMessage> messages = fromAlpha ? ExchangeRequest.parseFrom(frame.bytes()).getMessagesList()
          : ExchangeResponse.parseFrom(frame.bytes()).getMessagesList();
      for (PeerMessage body : messages) {
        for (PeerMessage m : PeerBatches.expand(frame.from(), body)) {
          decoded += PeerProtos.fromProto(frame.from(), fromAlpha ? "beta" : "alpha", m).message().transactionId()
              .length();
        }
      }
    }
    counted.transfers += transfers;
    return decoded;
  }

  private List<Frame> encode() {
    var out = new ArrayList<Frame>();
    for (Step step : steps) {
      var queue = new OutboundQueue();
      List<Message> messages = step.messages().stream().map(Envelope::message).toList();
      for (PeerMessage m : batched ? PeerBatches.encode(step.from(), messages)
          : messages.stream().map(PeerProtos::toProto).toList()) {
        queue.offer(m);
      }
      while (!queue.isEmpty()) {
        List<PeerMessage> frame = queue.nextFrame();
        out.add(new Frame(step.from(), step.from().equals("alpha")
            ? ExchangeRequest.newBuilder().setFromBank(step.from()).addAllMessages(frame).build().toByteArray()
            : ExchangeResponse.newBuilder().setFromBank(step.from()).addAllMessages(frame).build().toByteArray()));
      }
    }
    return out;
  }
}
