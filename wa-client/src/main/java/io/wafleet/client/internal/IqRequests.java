package io.wafleet.client.internal;

import io.wafleet.client.IqErrorException;
import io.wafleet.client.IqTimeoutException;
import io.wafleet.client.binary.Node;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pending queries of one connection (§7.2): ids {@code <uint16>.<uint16>-<n>}, replies matched by
 * {@code id} only, a per-query timeout failing with {@link IqTimeoutException}, an error reply
 * failing with {@link IqErrorException}. Thread-safe; futures complete on the thread that calls
 * {@link #resolve}, {@link #failAll} or runs the timeout.
 */
public final class IqRequests {

  private record Pending(CompletableFuture<Node> future, TaskScheduler.Cancellable timeout) {
  }

  private final String prefix;
  private final AtomicLong counter = new AtomicLong();
  private final TaskScheduler scheduler;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  public IqRequests(Random random, TaskScheduler scheduler) {
    this.prefix = random.nextInt(0x10000) + "." + random.nextInt(0x10000) + "-";
    this.scheduler = scheduler;
  }

  String nextId() {
    return prefix + counter.incrementAndGet();
  }

  /**
   * Waits for the reply with that id; fails after {@code timeout}. The connection calls this and
   * runs timers on its inbound thread, so the timeout cannot fire before the waiter is stored.
   */
  CompletableFuture<Node> register(String id, Duration timeout) {
    CompletableFuture<Node> future = new CompletableFuture<>();
    TaskScheduler.Cancellable timer = scheduler.schedule(() -> {
      Pending expired = pending.remove(id);
      if (expired != null) {
        expired.future.completeExceptionally(new IqTimeoutException(id, timeout));
      }
    }, timeout);
    pending.put(id, new Pending(future, timer));
    return future;
  }

  /** Completes the waiter for this node's id; false if nobody waits for it. */
  boolean resolve(Node node) {
    String id = node.attr("id");
    Pending waiter = id == null ? null : pending.remove(id);
    if (waiter == null) {
      return false;
    }
    waiter.timeout.cancel();
    Node error = node.child("error");
    if ("error".equals(node.attr("type")) || error != null) {
      waiter.future.completeExceptionally(toError(error));
    } else {
      waiter.future.complete(node);
    }
    return true;
  }

  /** Fails every waiter, e.g. when the connection closes. */
  void failAll(RuntimeException cause) {
    for (String id : pending.keySet()) {
      Pending waiter = pending.remove(id);
      if (waiter != null) {
        waiter.timeout.cancel();
        waiter.future.completeExceptionally(cause);
      }
    }
  }

  int pendingCount() {
    return pending.size();
  }

  private static IqErrorException toError(Node error) {
    if (error == null) {
      return new IqErrorException(0, null);
    }
    int code;
    try {
      code = Integer.parseInt(error.attrOr("code", "0"));
    } catch (NumberFormatException e) {
      code = 0;
    }
    return new IqErrorException(code, error.attr("text"));
  }
}
