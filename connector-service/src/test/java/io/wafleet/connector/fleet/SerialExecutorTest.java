package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SerialExecutorTest {

  @Test
  void tasks_runOneAtATimeInSubmissionOrder_onASharedPool() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SerialExecutor serial = new SerialExecutor(pool, "test");
      List<Integer> order = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger running = new AtomicInteger();
      AtomicInteger maxRunning = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(200);
      for (int i = 0; i < 200; i++) {
        int n = i;
        serial.execute(() -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          order.add(n);
          running.decrementAndGet();
          done.countDown();
        });
      }
      assertTrue(done.await(20, TimeUnit.SECONDS));
      assertEquals(1, maxRunning.get());
      for (int i = 0; i < 200; i++) {
        assertEquals(i, order.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aThrowingTask_doesNotStopTheQueue() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      SerialExecutor serial = new SerialExecutor(pool, "test");
      CountDownLatch after = new CountDownLatch(1);
      serial.execute(() -> {
        throw new IllegalStateException("boom");
      });
      serial.execute(after::countDown);
      assertTrue(after.await(20, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void afterThePoolShutDown_executeDropsTheTaskWithoutThrowing() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdownNow();
    SerialExecutor serial = new SerialExecutor(pool, "test");
    assertDoesNotThrow(() -> serial.execute(() -> { }));
    assertDoesNotThrow(() -> serial.execute(() -> { }), "a second task after a dropped one is accepted too");
  }
}
