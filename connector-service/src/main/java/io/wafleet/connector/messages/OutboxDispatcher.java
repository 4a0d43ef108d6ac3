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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox of one connector instance: a single Firestore listener on QUEUED items (not one poll
 * per account) whose snapshots are split by account and handed to the {@link OutboxLane} of each
 * account connected here; items of accounts this instance does not hold are ignored. The
 * supervisor attaches a lane when its account becomes CONNECTED and detaches it when it leaves.
 *
 * <p>Threads: the listener runs on Firestore's thread and only hands lists over; each lane's work
 * runs on its account's serial executor. The maps are concurrent; no lock is held around any call.
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
  private volatile Map<String, List<OutboxItem>> queuedByAccount = Map.of();
  private final AtomicReference<AutoCloseable> watch = new AtomicReference<>();
  private volatile boolean closed;

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

  /** Starts the instance's listener on QUEUED items. Idempotent. */
  public void start() {
    if (closed || watch.get() != null) {
      return;
    }
    AutoCloseable started = outbox.watchQueued(this::onQueued, this::onWatchError);
    if (!watch.compareAndSet(null, started) || closed) {
      quietly(started);
    }
  }

  /** A listener that reported an error receives nothing more: it is replaced after a pause. */
  private void onWatchError(Exception e) {
    log.warn("outbox listener failed, restarting in {} error={}", WATCH_RESTART, e.toString());
    scheduler.schedule(WATCH_RESTART, () -> {
      quietly(watch.getAndSet(null));
      start();
    });
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
    lane.offer(queuedByAccount.getOrDefault(accountId, List.of()));
  }

  /**
   * The account left CONNECTED (or this instance let it go): the lane attached with {@code serial}
   * stops sending; a lane a newer supervisor attached meanwhile is left alone.
   */
  public void detach(String accountId, Executor serial) {
    OutboxLane lane = lanes.get(accountId);
    if (lane != null && lane.serial() == serial && lanes.remove(accountId, lane)) {
      lane.stop();
    }
  }

  @Override
  public void close() {
    closed = true;
    quietly(watch.getAndSet(null));
    lanes.values().forEach(OutboxLane::stop);
    lanes.clear();
  }

  private void onQueued(List<OutboxItem> items) {
    Map<String, List<OutboxItem>> split = new HashMap<>();
    for (OutboxItem item : items) {
      split.computeIfAbsent(item.accountId(), k -> new ArrayList<>()).add(item);
    }
    queuedByAccount = split;
    lanes.forEach((accountId, lane) -> lane.offer(split.getOrDefault(accountId, List.of())));
  }
}
