package io.wafleet.connector.messages;

import io.wafleet.client.WaClient;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.RoutedQueue;
import io.wafleet.connector.fleet.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox of one connector instance. One Firestore listener watches the QUEUED items routed to
 * this instance ({@link OutboxStore#watchRouted}: an item is routed to its account's owner when it is
 * enqueued, and to the owner that takes its account over, see {@link OutboxLane}); each change is
 * handed to the {@link OutboxLane} of each account it names. One listener whatever the number of
 * accounts: per-account listeners (an {@code accountId in [...]} filter holds at most 30 ids) cost
 * about 34 at 1,000 accounts and 100 at 3,000, and every listener is a stream of its own. The
 * supervisor attaches a lane when its account becomes CONNECTED and detaches it when it leaves.
 *
 * <p>Threads: the listener runs on Firestore's thread and only hands changes over; the latest queue
 * of each account and the listener's registration are owned by this dispatcher's own thread
 * ({@code outbox-watch}), which also hands a newly attached lane its account's queue, so a lane never
 * receives an older list after a newer one. Each lane's work runs on its account's serial executor.
 * No lock is held around any call.
 */
public final class OutboxDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
  private static final Duration WATCH_RESTART = Duration.ofSeconds(5);

  private final OutboxStore outbox;
  private final MessageStore messages;
  private final String instanceId;
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
  /** The QUEUED items routed here, by account, as the listener last delivered them. */
  private final Map<String, List<OutboxItem>> queued = new HashMap<>();
  private AutoCloseable registration;
  /** Counts registrations, so changes of a listener that was replaced are ignored. */
  private long listenerEpoch;
  private boolean started;
  private volatile boolean closed;

  /**
   * @param instanceId the instance whose routed items this dispatcher watches: the instance id its
   *     supervisors own accounts under
   */
  public OutboxDispatcher(OutboxStore outbox, MessageStore messages, String instanceId, Scheduler scheduler,
      Clock clock, OutboxConfig config) {
    this.outbox = Objects.requireNonNull(outbox, "outbox == null");
    this.messages = Objects.requireNonNull(messages, "messages == null");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId == null");
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

  /** Starts the listener: the lanes attached before and after receive their queues. Idempotent. */
  public void start() {
    onWatchThread(() -> {
      if (!started) {
        started = true;
        listen();
      }
    });
  }

  /**
   * The account is CONNECTED on {@code client}: its queued items are sent from now on (those routed
   * to another instance are routed here first), and items a crash left in SENDING are resent under
   * their same id.
   */
  public void attach(String accountId, Owner owner, WaClient client, Executor serial) {
    if (!owner.instanceId().equals(instanceId)) {
      throw new IllegalArgumentException("owner " + owner + " is not of this dispatcher's instance " + instanceId);
    }
    OutboxLane lane = new OutboxLane(accountId, owner, client, serial, outbox, messages, scheduler, clock, config);
    OutboxLane previous = lanes.put(accountId, lane);
    if (previous != null) {
      previous.stop();
    }
    lane.takeOverQueue();
    onWatchThread(() -> {
      if (lanes.get(accountId) == lane) {
        lane.offer(queued.getOrDefault(accountId, List.of()));
      }
    });
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
    try {
      watchThread.submit(() -> {
        quietly(registration);
        registration = null;
      }).get(5, java.util.concurrent.TimeUnit.SECONDS);
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

  /** (Re)starts the listener; the changes of an earlier one are ignored from now on. */
  private void listen() {
    quietly(registration);
    registration = null;
    if (closed) {
      return;
    }
    long epoch = ++listenerEpoch;
    try {
      registration = outbox.watchRouted(instanceId, change -> onWatchThread(() -> onQueue(epoch, change)),
          corrupt -> log.warn("outbox item does not read, left out until it changes path={} field={} error={}",
              corrupt.path(), corrupt.field(), corrupt.getMessage()),
          e -> onWatchThread(() -> onWatchError(epoch, e)));
    } catch (RuntimeException e) {
      onWatchError(epoch, e);
    }
  }

  /** A listener that reported an error receives nothing more: it is replaced after a pause. */
  private void onWatchError(long epoch, Exception e) {
    if (epoch != listenerEpoch) {
      return;
    }
    log.warn("outbox listener failed, restarting in {} error={}", WATCH_RESTART, e.toString());
    scheduler.schedule(WATCH_RESTART, () -> onWatchThread(() -> {
      if (epoch == listenerEpoch) {
        listen();
      }
    }));
  }

  /** Records what the listener delivered and hands each named account's queue to its lane. */
  private void onQueue(long epoch, RoutedQueue change) {
    if (epoch != listenerEpoch) {
      return;
    }
    Map<String, List<OutboxItem>> lists = new HashMap<>(change.byAccount());
    if (change.complete()) {
      // A new listener's first view: an account it does not name has nothing queued any more.
      for (String account : queued.keySet()) {
        lists.putIfAbsent(account, List.of());
      }
    }
    lists.forEach((accountId, items) -> {
      if (items.isEmpty()) {
        queued.remove(accountId);
      } else {
        queued.put(accountId, items);
      }
      OutboxLane lane = lanes.get(accountId);
      if (lane != null) {
        lane.offer(items);
      }
    });
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

}
