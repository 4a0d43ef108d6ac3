package io.wafleet.connector.messages;

import io.wafleet.client.WaClient;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.connector.fleet.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox of one connector instance. The QUEUED items are watched only for the accounts connected
 * here, by Firestore listeners keyed by account id ({@code accountId in [...]}, up to
 * {@link OutboxStore#MAX_WATCHED_ACCOUNTS} accounts per listener, so thousands of accounts cost
 * dozens of listeners, not one poll per account), and never for accounts other instances hold; each
 * snapshot is split by account and handed to the {@link OutboxLane} of each account. The supervisor
 * attaches a lane when its account becomes CONNECTED and detaches it when it leaves.
 *
 * <p>Threads: the listeners run on Firestore's thread and only hand lists over; which account is in
 * which listener is owned by this dispatcher's own thread ({@code outbox-watch}), which also
 * (re)starts the listeners, coalescing the changes queued before it runs. Each lane's work runs on
 * its account's serial executor. No lock is held around any call.
 */
public final class OutboxDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final Duration WATCH_RESTART = Duration.ofSeconds(5);

  private final OutboxStore outbox;
  private final MessageStore messages;
  private final Scheduler scheduler;
  private final Clock clock;
  private final OutboxConfig config;
  private final Map<String, OutboxLane> lanes = new ConcurrentHashMap<>();
  private final ExecutorService watchThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "outbox-watch");
    t.setDaemon(true);
    return t;
  });
  // ---- confined to watchThread ----
  private final List<Watch> watches = new ArrayList<>();
  private final Map<String, Watch> watchOf = new HashMap<>();
  private final Set<Watch> dirty = new LinkedHashSet<>();
  private boolean flushQueued;
  private boolean started;
  private volatile boolean closed;

  /** One listener over a set of accounts. Fields confined to watchThread. */
  private static final class Watch {
    final Set<String> accounts = new LinkedHashSet<>();
    AutoCloseable registration;
  }

  public OutboxDispatcher(OutboxStore outbox, MessageStore messages, Scheduler scheduler, Clock clock,
      OutboxConfig config) {
    this.outbox = Objects.requireNonNull(outbox, "outbox == null");
    this.messages = Objects.requireNonNull(messages, "messages == null");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.config = Objects.requireNonNull(config, "config == null");
  }

  /** The store the lanes and the inbound writer's receipts write through. */
  public OutboxStore store() {
    return outbox;
  }

  public MessageStore messages() {
    return messages;
  }

  /** Starts watching the queues of the attached accounts (those attached before too). Idempotent. */
  public void start() {
    onWatchThread(() -> {
      started = true;
      dirty.addAll(watches);
      flushSoon();
    });
  }

  /**
   * The account is CONNECTED on {@code client}: its queued items are sent from now on, and items a
   * crash left in SENDING are resent under their same id.
   */
  public void attach(String accountId, Owner owner, WaClient client, Executor serial) {
    OutboxLane lane = new OutboxLane(accountId, owner, client, serial, outbox, messages, scheduler, clock, config);
    OutboxLane previous = lanes.put(accountId, lane);
    if (previous != null) {
      previous.stop();
    }
    lane.recoverSending();
    onWatchThread(() -> {
      Watch current = watchOf.get(accountId);
      if (current != null) {
        // Same listener; a restart delivers the current queue to the new lane.
        dirty.add(current);
      } else {
        Watch watch = watches.stream().filter(w -> w.accounts.size() < OutboxStore.MAX_WATCHED_ACCOUNTS)
            .findFirst().orElseGet(() -> {
              Watch w = new Watch();
              watches.add(w);
              return w;
            });
        watch.accounts.add(accountId);
        watchOf.put(accountId, watch);
        dirty.add(watch);
      }
      flushSoon();
    });
  }

  /**
   * The account left CONNECTED (or this instance let it go): the lane attached with {@code serial}
   * stops sending, and its queue is no longer watched; a lane a newer supervisor attached meanwhile
   * is left alone.
   */
  public void detach(String accountId, Executor serial) {
    OutboxLane lane = lanes.get(accountId);
    if (lane != null && lane.serial() == serial && lanes.remove(accountId, lane)) {
      lane.stop();
      onWatchThread(() -> {
        if (lanes.containsKey(accountId)) {
          return; // attached again meanwhile
        }
        Watch watch = watchOf.remove(accountId);
        if (watch != null) {
          watch.accounts.remove(accountId);
          dirty.add(watch);
          flushSoon();
        }
      });
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      watchThread.submit(() -> watches.forEach(w -> {
        quietly(w.registration);
        w.registration = null;
      })).get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | RejectedExecutionException e) {
      log.debug("outbox listeners not closed in time error={}", e.toString());
    }
    watchThread.shutdownNow();
    lanes.values().forEach(OutboxLane::stop);
    lanes.clear();
  }

  // ---- on watchThread ----

  private void flushSoon() {
    if (!flushQueued) {
      flushQueued = true;
      onWatchThread(this::flush);
    }
  }

  /** (Re)starts the listener of every changed watch, once for all changes queued before. */
  private void flush() {
    flushQueued = false;
    if (closed || !started) {
      return;
    }
    for (Watch watch : List.copyOf(dirty)) {
      quietly(watch.registration);
      watch.registration = null;
      if (watch.accounts.isEmpty()) {
        watches.remove(watch);
        continue;
      }
      List<String> ids = List.copyOf(watch.accounts);
      try {
        watch.registration = outbox.watchQueued(ids, items -> onQueued(ids, items), e -> onWatchError(watch, e));
      } catch (RuntimeException e) {
        onWatchError(watch, e);
      }
    }
    dirty.clear();
  }

  /** A listener that reported an error receives nothing more: it is replaced after a pause. */
  private void onWatchError(Watch watch, Exception e) {
    log.warn("outbox listener failed, restarting in {} error={}", WATCH_RESTART, e.toString());
    scheduler.schedule(WATCH_RESTART, () -> onWatchThread(() -> {
      if (watches.contains(watch)) {
        dirty.add(watch);
        flushSoon();
      }
    }));
  }

  private void onWatchThread(Runnable task) {
    if (closed) {
      return;
    }
    try {
      watchThread.execute(task);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private static void quietly(AutoCloseable handle) {
    if (handle == null) {
      return;
    }
    try {
      handle.close();
    } catch (Exception e) {
      log.debug("outbox listener close failed error={}", e.toString());
    }
  }

  /** On Firestore's listener thread: hands each watched account its current queue. */
  private void onQueued(List<String> accountIds, List<OutboxItem> items) {
    Map<String, List<OutboxItem>> split = new HashMap<>();
    for (OutboxItem item : items) {
      split.computeIfAbsent(item.accountId(), k -> new ArrayList<>()).add(item);
    }
    for (String accountId : accountIds) {
      OutboxLane lane = lanes.get(accountId);
      if (lane != null) {
        lane.offer(split.getOrDefault(accountId, List.of()));
      }
    }
  }
}
