package dev.distribank.node.testing;

import dev.distribank.node.BankNodeMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code bank-node} process (BankNodeMain in a JVM of its own, on this test's class path), its output read
 * through a pipe into a log file and kept for assertions. A pipe, not a file the child writes: a child run under a
 * file-size limit must not trip over its own log.
 */
public final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread pump;

  private NodeProcess(Process process, Path log) throws IOException {
    this.process = process;
    var writer = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    this.pump = Thread.ofPlatform().daemon().name("node-output-" + process.pid()).start(() -> {
      try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          writer) {
        String line;
        while ((line = in.readLine()) != null) {
          output.append(line).append('\n');
          writer.println(line);
        }
      } catch (IOException e) {
        output.append("(output ended: ").append(e).append(")\n");
      }
    });
  }

  /** Starts {@code bank-node args...}; its output goes to {@code log} too. */
  public static NodeProcess start(List<String> args, Path log) throws IOException {
    return start(List.of(), List.of(), args, log);
  }

  /**
   * Starts {@code launcher... java jvmOptions... bank-node args...}: a launcher such as {@code prlimit --fsize=...}
   * runs the JVM under a limit.
   */
  public static NodeProcess start(List<String> launcher, List<String> jvmOptions, List<String> args, Path log)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var cmd = new ArrayList<>(launcher);
    cmd.addAll(List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BankNodeMain.class.getName()));
    cmd.addAll(args);
    return new NodeProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start(), log);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the node printed so far. */
  public String output() {
    return output.toString();
  }

  /** Waits until the node has printed {@code text}; false after {@code seconds}, or at once if it died. */
  public boolean awaitOutput(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (output.indexOf(text) >= 0) {
        return true;
      }
      if (!process.isAlive()) {
        pump.join(1_000);
        return output.indexOf(text) >= 0;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** SIGTERM, as a supervisor stops a node; then SIGKILL if it has not ended in 30 s. Returns its exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    pump.join(2_000);
    return process.exitValue();
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook runs. Returns once the process has ended (exit 137). */
  public int killNine() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Linux, delivered even to a stopped process
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + process.pid() + " outlived SIGKILL by 30 s");
    }
    pump.join(2_000);
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
