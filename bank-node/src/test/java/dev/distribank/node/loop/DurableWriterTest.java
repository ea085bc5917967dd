package dev.distribank.node.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.order.Envelope;
import dev.distribank.node.core.order.OrderCore;
import dev.distribank.node.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer behind the loop: batches become durable in the order handed in, nothing of a batch leaves before its
 * write returns, batches waiting meanwhile are written together, and a failed write fails every batch written with
 * it and behind it — none is answered as if written.
 */
class DurableWriterTest {
  @TempDir Path dir;

  private static Store.Prepared empty(Store store) throws Exception {
    return store.prepare(new OrderCore("alpha", Set.of("alpha"), new Bank("alpha")).ready(), Map.of());
  }

  @Test
  void answersLeaveOnlyAfterTheirWrite_inOrder_andAFailedWriteFailsItAndEverythingBehind() throws Exception {
    try (Store store = Store.open(dir)) {
      var release = new CountDownLatch(1);
      var writing = new CountDownLatch(1);
      var commits = Collections.synchronizedList(new ArrayList<Integer>());
      var failedWith = new AtomicReference<Throwable>();
      var sent = Collections.synchronizedList(new ArrayList<List<Envelope>>());
      int[] next = {0};
      var writer = new DurableWriter("alpha", writes -> {
        int n = next[0]++;
        if (n == 0) {
          writing.countDown();
          assertTrue(release.await(10, TimeUnit.SECONDS));
        }
        writes.forEach(Store.Prepared::close);
        if (n == 1) {
          throw new org.rocksdb.RocksDBException("disk full");
        }
        commits.add(n);
      }, sent::add, failedWith::set);
      writer.start();

      var first = new CompletableFuture<String>();
      var second = new CompletableFuture<String>();
      var third = new CompletableFuture<String>();
      writer.submit(empty(store), List.of(), List.of(new DurableWriter.Answer(first, () -> first.complete("1"))));
      assertTrue(writing.await(10, TimeUnit.SECONDS));
      // Handed in while the first is being written: the two that follow are written together, and fail together.
      writer.submit(empty(store), List.of(), List.of(new DurableWriter.Answer(second, () -> second.complete("2"))));
      Thread.sleep(100);
      assertFalse(first.isDone(), "not answered while its write has not returned");
      var handing = CompletableFuture.runAsync(() -> {
        try {
          writer.submit(empty(store), List.of(), List.of(new DurableWriter.Answer(third, () -> third.complete("3"))));
        } catch (Exception e) {
          third.completeExceptionally(e);
        }
      });
      release.countDown();

      assertEquals("1", first.get(10, TimeUnit.SECONDS));
      var e = assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS));
      assertInstanceOf(EventLoop.Stopped.class, e.getCause());
      assertThrows(ExecutionException.class, () -> third.get(10, TimeUnit.SECONDS), "written with the failed one");
      handing.get(10, TimeUnit.SECONDS);
      assertEquals(List.of(0), commits, "nothing after the failed write was written");
      assertNotNull(failedWith.get());
      assertNotNull(writer.failure());
      assertThrows(IllegalStateException.class, () -> writer.submit(empty(store), List.of(), List.of()));
      assertThrows(IllegalStateException.class, writer::awaitDurable);
      writer.close();
    }
  }

  @Test
  void awaitDurable_returnsOnceEveryBatchHandedInIsWritten() throws Exception {
    try (Store store = Store.open(dir)) {
      var written = Collections.synchronizedList(new ArrayList<Integer>());
      int[] next = {0};
      var writer = new DurableWriter("alpha", writes -> {
        Thread.sleep(30);
        writes.forEach(w -> written.add(next[0]++));
        writes.forEach(Store.Prepared::close);
      }, batch -> {}, cause -> {});
      writer.start();
      for (int i = 0; i < 3; i++) {
        writer.submit(empty(store), List.of(), List.of());
      }
      writer.awaitDurable();
      assertEquals(List.of(0, 1, 2), written);
      writer.close();
    }
  }

  @Test
  void earlyAnswers_waitOnlyForTheBatchesBefore_notForTheirOwn() throws Exception {
    try (Store store = Store.open(dir)) {
      var gates = List.of(new CountDownLatch(1), new CountDownLatch(1));
      var writing = List.of(new CountDownLatch(1), new CountDownLatch(1));
      int[] next = {0};
      var writer = new DurableWriter("alpha", writes -> {
        for (var w : writes) {
          int n = next[0]++;
          writing.get(n).countDown();
          assertTrue(gates.get(n).await(10, TimeUnit.SECONDS));
          w.close();
        }
      }, batch -> {}, cause -> {});
      writer.start();

      var firstEarly = new CompletableFuture<String>();
      var first = new CompletableFuture<String>();
      writer.submit(empty(store), List.of(), List.of(new DurableWriter.Answer(first, () -> first.complete("1"))),
          List.of(), List.of(new DurableWriter.Answer(firstEarly, () -> firstEarly.complete("early 1"))));
      assertEquals("early 1", firstEarly.getNow(null), "nothing was in flight before it: given at once");
      assertTrue(writing.get(0).await(10, TimeUnit.SECONDS));

      var secondEarly = new CompletableFuture<String>();
      var second = new CompletableFuture<String>();
      writer.submit(empty(store), List.of(), List.of(new DurableWriter.Answer(second, () -> second.complete("2"))),
          List.of(), List.of(new DurableWriter.Answer(secondEarly, () -> secondEarly.complete("early 2"))));
      Thread.sleep(100);
      assertFalse(secondEarly.isDone(), "it waits for the batch before it");
      gates.get(0).countDown();
      assertEquals("1", first.get(10, TimeUnit.SECONDS));
      assertEquals("early 2", secondEarly.get(10, TimeUnit.SECONDS));
      assertTrue(writing.get(1).await(10, TimeUnit.SECONDS));
      assertFalse(second.isDone(), "its own batch is still being written");
      gates.get(1).countDown();
      assertEquals("2", second.get(10, TimeUnit.SECONDS));
      writer.close();
    }
  }
}
