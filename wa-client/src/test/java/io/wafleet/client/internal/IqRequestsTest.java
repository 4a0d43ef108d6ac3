package io.wafleet.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.IqErrorException;
import io.wafleet.client.IqTimeoutException;
import io.wafleet.client.NotConnectedException;
import io.wafleet.client.binary.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Ids, matching, errors and timeouts, driven by a manual scheduler: no waiting. */
class IqRequestsTest {

  /** Holds scheduled tasks until the test fires them. */
  private static final class ManualScheduler implements TaskScheduler {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();
    int cancelled;

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      tasks.add(task);
      delays.add(delay);
      return () -> cancelled++;
    }
  }

  private final ManualScheduler scheduler = new ManualScheduler();
  private final IqRequests iqs = new IqRequests(new Random(7), scheduler);

  @Test
  void nextId_hasBaileysShapeAndCounts() {
    String first = iqs.nextId();
    String second = iqs.nextId();
    assertTrue(first.matches("\\d{1,5}\\.\\d{1,5}-1"), first);
    assertTrue(second.endsWith("-2"), second);
    assertEquals(first.substring(0, first.length() - 1), second.substring(0, second.length() - 1));
  }

  @Test
  void resolve_matchingResult_completesAndCancelsTimer() throws Exception {
    CompletableFuture<Node> reply = iqs.register("a-1", Duration.ofSeconds(60));
    Node result = Node.of("iq", Node.attrsOf("id", "a-1", "type", "result"));
    assertTrue(iqs.resolve(result));
    assertSame(result, reply.get());
    assertEquals(1, scheduler.cancelled);
    assertEquals(Duration.ofSeconds(60), scheduler.delays.get(0));
  }

  @Test
  void resolve_unknownId_notConsumed() {
    iqs.register("a-1", Duration.ofSeconds(1));
    assertFalse(iqs.resolve(Node.of("iq", Node.attrsOf("id", "other", "type", "result"))));
    assertFalse(iqs.resolve(Node.of("iq", Node.attrsOf("type", "result"))));
    assertEquals(1, iqs.pendingCount());
  }

  @Test
  void resolve_errorChild_failsWithCodeAndText() {
    CompletableFuture<Node> reply = iqs.register("a-1", Duration.ofSeconds(1));
    iqs.resolve(Node.of("iq", Node.attrsOf("id", "a-1", "type", "error"),
        List.of(Node.of("error", Node.attrsOf("code", "404", "text", "item-not-found")))));
    IqErrorException error = assertInstanceOf(IqErrorException.class, cause(reply));
    assertEquals(404, error.code());
    assertEquals("item-not-found", error.text());
  }

  @Test
  void timeout_fires_failsWithIqTimeout_andLateReplyIgnored() {
    CompletableFuture<Node> reply = iqs.register("a-1", Duration.ofMillis(5));
    scheduler.tasks.get(0).run();
    assertInstanceOf(IqTimeoutException.class, cause(reply));
    assertFalse(iqs.resolve(Node.of("iq", Node.attrsOf("id", "a-1", "type", "result"))));
    assertEquals(0, iqs.pendingCount());
  }

  @Test
  void failAll_failsEveryWaiter() {
    CompletableFuture<Node> a = iqs.register("a-1", Duration.ofSeconds(1));
    CompletableFuture<Node> b = iqs.register("a-2", Duration.ofSeconds(1));
    iqs.failAll(new NotConnectedException("closed"));
    assertInstanceOf(NotConnectedException.class, cause(a));
    assertInstanceOf(NotConnectedException.class, cause(b));
    assertEquals(0, iqs.pendingCount());
  }

  private static Throwable cause(CompletableFuture<Node> future) {
    try {
      future.get();
      throw new AssertionError("future completed normally");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
