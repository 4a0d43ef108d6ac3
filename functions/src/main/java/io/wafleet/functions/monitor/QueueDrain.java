package io.wafleet.functions.monitor;

import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.OutboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue probe: the outbox's drain time. At the run's start it takes the items QUEUED then (the
 * backlog, the {@value #MAX_TRACKED} oldest) and the probe messages the run enqueues behind them,
 * and measures from the start until every one of them has left QUEUED (the connector took it:
 * SENDING or further, or FAILED), as the run sees it through one listener on the oldest QUEUED
 * items. PASS when that happens within the probe timeout; FAIL naming how many are still QUEUED.
 * With nothing queued and no probe message the drain time is 0.
 *
 * <p>An item absent from the listener's window has left QUEUED when the window is not full (it
 * then holds every QUEUED item) or when the item is older than the window's newest (the window
 * holds every QUEUED item up to that one). Threads: Firestore's listener thread only stamps the
 * time and hands the snapshot to a queue; {@link Pending#await} judges on the run's thread.
 */
final class QueueDrain {

  private static final Logger log = LoggerFactory.getLogger(QueueDrain.class);

  /** The most backlog items tracked; a longer queue is judged by its oldest. */
  static final int MAX_TRACKED = AccountStore.MAX_PAGE_SIZE;
  /** Room in the listener's window for items queued after the start (the probe messages among them). */
  private static final int WINDOW_SLACK = 20;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private QueueDrain() {}

  /** A started measurement; close it to stop listening. */
  interface Pending extends AutoCloseable {
    Probe await(long deadlineNanos);

    @Override
    void close();
  }

  private record Seen(Instant at, List<OutboxItem> oldestQueued, Exception error) {}

  /**
   * Starts measuring.
   *
   * @param at the result's time (inside the run's hour)
   * @param start when the drain is measured from (the run's start, before the backlog was read)
   * @param backlog the items QUEUED at the start, oldest first
   * @param probeItems the probe messages the run enqueued after reading the backlog
   */
  static Pending start(OutboxStore outbox, Clock clock, Instant at, Instant start, List<OutboxItem> backlog,
      Collection<OutboxItem> probeItems, Duration timeout) {
    Objects.requireNonNull(outbox, "outbox == null");
    Map<String, OutboxItem> tracked = new LinkedHashMap<>();
    backlog.stream().limit(MAX_TRACKED).forEach(i -> tracked.put(i.id(), i));
    probeItems.stream().filter(i -> i.status() == OutboxStatus.QUEUED).forEach(i -> tracked.putIfAbsent(i.id(), i));
    if (tracked.isEmpty()) {
      Probe empty = new Probe(ProbeType.QUEUE, at, true, 0, null, null);
      return new Pending() {
        public Probe await(long deadline) {
          return empty;
        }

        public void close() {}
      };
    }
    int window = Math.min(MAX_TRACKED, tracked.size() + WINDOW_SLACK);
    BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    AutoCloseable watch = outbox.watchOldestQueued(window,
        items -> seen.add(new Seen(clock.instant(), items, null)),
        e -> seen.add(new Seen(clock.instant(), List.of(), e)));
    return new Pending() {
      public Probe await(long deadline) {
        Collection<OutboxItem> remaining = tracked.values();
        try {
          while (true) {
            Seen s = seen.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
              OutboxItem oldest = remaining.stream().min(Comparator.comparing(OutboxItem::createdAt)).orElseThrow();
              return new Probe(ProbeType.QUEUE, at, false, 0, oldest.accountId(), remaining.size() + " of "
                  + tracked.size() + " outbox items still QUEUED after " + timeout.toSeconds() + " s (the oldest queued at "
                  + TIME.format(oldest.createdAt()) + " by account " + oldest.accountId() + ")");
            }
            if (s.error() != null) {
              return new Probe(ProbeType.QUEUE, at, false, 0, null,
                  "watching the queue failed: " + s.error().getClass().getSimpleName());
            }
            remaining = stillQueued(tracked.values(), s.oldestQueued(), window);
            if (remaining.isEmpty()) {
              OutboxItem head = tracked.values().iterator().next();
              return new Probe(ProbeType.QUEUE, at, true, Math.max(0, Duration.between(start, s.at()).toMillis()),
                  head.accountId(), null);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Probe(ProbeType.QUEUE, at, false, 0, null, "interrupted");
        }
      }

      public void close() {
        try {
          watch.close();
        } catch (Exception e) {
          log.atWarn().addKeyValue("reason", e.getClass().getSimpleName()).log("queue probe watch did not close");
        }
      }
    };
  }

  /** The tracked items that may still be QUEUED, given the listener's window of the oldest QUEUED. */
  static List<OutboxItem> stillQueued(Collection<OutboxItem> tracked, List<OutboxItem> window, int windowSize) {
    java.util.Set<String> inWindow = new java.util.HashSet<>();
    window.forEach(i -> inWindow.add(i.id()));
    Instant newest = window.isEmpty() ? null : window.get(window.size() - 1).createdAt();
    boolean full = window.size() >= windowSize;
    return tracked.stream()
        .filter(t -> inWindow.contains(t.id()) || (full && !t.createdAt().isBefore(newest)))
        .toList();
  }
}
