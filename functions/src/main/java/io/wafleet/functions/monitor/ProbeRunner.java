package io.wafleet.functions.monitor;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.PhoneNumbers;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import io.wafleet.common.model.StoredMessage;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.MonitorConfigStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.ProbeStore;
import io.wafleet.common.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hourly probe run; each result goes to {@link ProbeStore} (one per type per hour, so a retried
 * run overwrites its hour), where the probe guard and the report read it.
 * <ul>
 *   <li>QUEUE: the outbox's drain time ({@link QueueDrain}): from the run's start until every item
 *       QUEUED then, and the probe messages this run enqueues behind them, has left QUEUED; FAIL
 *       when that takes longer than the timeout. Measured by every run of the hour.
 *   <li>OUTBOUND (when configured): enqueues one text from the probe account to the probe chat
 *       through {@link OutboxStore#enqueue}, as {@code POST /v1/messages} does, with an id derived
 *       from the hour, and waits for the connector to move it to SENT (the server ack) or further;
 *       the latency is from the enqueue to the moment the run sees that. FAIL when it is FAILED or
 *       not acked within the timeout.
 *   <li>INBOUND (when configured): the probe sender account sends one text to the monitored
 *       account's phone the same way, and the run waits until the monitored account's connector has
 *       stored it under {@code threads/}; the latency is from the enqueue to its {@code storedAt}.
 * </ul>
 * A type whose hour already has a result is not sent again. Outbound and inbound wait side by side
 * within one timeout, so the run ends before Cloud Scheduler's 60 s attempt deadline. Threads: the
 * run blocks its own (the request's) thread; Firestore's listener threads only complete a future or
 * put a thread id into a queue, and every query runs on the run's thread. Thread-safe (stateless).
 */
public final class ProbeRunner {

  private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);
  private static final DateTimeFormatter HOUR_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH").withZone(ZoneOffset.UTC);
  /** WhatsApp's message timestamps are whole seconds from the sender's clock: look a little earlier. */
  private static final Duration THREAD_CLOCK_MARGIN = Duration.ofMinutes(1);

  private final AccountStore accounts;
  private final OutboxStore outbox;
  private final MessageStore messages;
  private final ProbeStore probes;
  private final MonitorConfigStore config;
  private final ProbeConfig defaults;
  private final Clock clock;

  public ProbeRunner(AccountStore accounts, OutboxStore outbox, MessageStore messages, ProbeStore probes,
      MonitorConfigStore config, ProbeConfig defaults, Clock clock) {
    this.accounts = Objects.requireNonNull(accounts, "accounts == null");
    this.outbox = Objects.requireNonNull(outbox, "outbox == null");
    this.messages = Objects.requireNonNull(messages, "messages == null");
    this.probes = Objects.requireNonNull(probes, "probes == null");
    this.config = Objects.requireNonNull(config, "config == null");
    this.defaults = Objects.requireNonNull(defaults, "defaults == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** The outbox id of the outbound probe of the hour holding {@code at}. */
  public static String outboundId(Instant at) {
    return "probe-outbound-" + HOUR_ID.format(at);
  }

  /** The outbox id of the inbound probe's send of the hour holding {@code at}. */
  public static String inboundId(Instant at) {
    return "probe-inbound-" + HOUR_ID.format(at);
  }

  /** The text the inbound probe sends in the hour holding {@code at}. */
  public static String inboundText(Instant at) {
    return "wafleet inbound probe " + HOUR_ID.format(at);
  }

  /** Runs the probes for the hour holding {@code scheduledFor}; returns each type's result. */
  public Map<String, Object> run(Instant scheduledFor) {
    Instant hour = scheduledFor.truncatedTo(ChronoUnit.HOURS);
    Map<String, Object> out = new LinkedHashMap<>();
    ProbeConfig cfg;
    try {
      cfg = defaults.overriddenBy(config.load());
    } catch (IllegalArgumentException e) {
      // A bad value in the config document: say which, and still measure the queue.
      log.atWarn().addKeyValue("reason", e.getMessage()).log("probe config invalid; outbound and inbound probes skipped");
      long deadline = System.nanoTime() + defaults.timeout().toNanos();
      Instant start = clock.instant();
      try (QueueDrain.Pending queue = QueueDrain.start(outbox, clock, inHour(start, hour), start,
          outbox.listByStatus(OutboxStatus.QUEUED, QueueDrain.MAX_TRACKED), List.of(), defaults.timeout())) {
        out.put(ProbeType.QUEUE.name(), view(store(queue.await(deadline))));
      }
      out.put(ProbeType.OUTBOUND.name(), "config invalid: " + e.getMessage());
      out.put(ProbeType.INBOUND.name(), "config invalid: " + e.getMessage());
      return out;
    }
    long deadline = System.nanoTime() + cfg.timeout().toNanos();
    Instant start = clock.instant();
    List<OutboxItem> backlog = outbox.listByStatus(OutboxStatus.QUEUED, QueueDrain.MAX_TRACKED);
    try (Outbound outbound = cfg.outboundAccount().isEmpty() || probes.load(ProbeType.OUTBOUND, hour).isPresent()
            ? null : startOutbound(hour, cfg);
        Inbound inbound = cfg.inboundSender().isEmpty() || probes.load(ProbeType.INBOUND, hour).isPresent()
            ? null : startInbound(hour, cfg);
        QueueDrain.Pending queue = QueueDrain.start(outbox, clock, inHour(start, hour), start, backlog,
            probeItems(outbound, inbound), cfg.timeout())) {
      out.put(ProbeType.QUEUE.name(), view(store(queue.await(deadline))));
      out.put(ProbeType.OUTBOUND.name(), cfg.outboundAccount().isEmpty() ? "not configured"
          : view(outbound == null ? probes.load(ProbeType.OUTBOUND, hour).orElseThrow() : store(outbound.await(deadline))));
      out.put(ProbeType.INBOUND.name(), cfg.inboundSender().isEmpty() ? "not configured"
          : view(inbound == null ? probes.load(ProbeType.INBOUND, hour).orElseThrow() : store(inbound.await(deadline))));
    }
    return out;
  }

  private Probe store(Probe p) {
    probes.store(p);
    log.atInfo().addKeyValue("type", p.type().name()).addKeyValue("ok", p.ok()).addKeyValue("latencyMs", p.latencyMs())
        .addKeyValue("accountId", p.accountId()).addKeyValue("error", p.error()).log("probe");
    return p;
  }

  /** The probe messages the run enqueued (each behind the backlog), for the queue probe. */
  private static List<OutboxItem> probeItems(Pending... started) {
    List<OutboxItem> items = new java.util.ArrayList<>();
    for (Pending p : started) {
      if (p != null) {
        p.item().ifPresent(items::add);
      }
    }
    return items;
  }

  /** A started probe: waits until the shared deadline, then stops watching. */
  private interface Pending extends AutoCloseable {
    Probe await(long deadlineNanos);

    /** The outbox item this probe enqueued, if it got that far. */
    default Optional<OutboxItem> item() {
      return Optional.empty();
    }

    @Override
    void close();
  }

  private interface Outbound extends Pending {}

  private interface Inbound extends Pending {}

  /**
   * Enqueues (or finds the hour's item, a retried run measuring from the first enqueue) for a probe,
   * addressed as {@code POST /v1/messages} addresses an E.164 phone: {@code <digits>@s.whatsapp.net}.
   */
  private OutboxItem enqueue(String id, String from, String toE164, String text) {
    String to = PhoneNumbers.digits(toE164) + "@s.whatsapp.net";
    return outbox.enqueue(OutboxItem.queued(id, from, to, text, clock.instant())).item();
  }

  private Outbound startOutbound(Instant hour, ProbeConfig cfg) {
    String account = cfg.outboundAccount().orElseThrow();
    Instant attempt = clock.instant();
    OutboxItem item;
    try {
      item = enqueue(outboundId(hour), account, cfg.outboundTo().orElseThrow(), "wafleet probe " + HOUR_ID.format(hour));
    } catch (StoreException e) {
      Probe failed = failed(ProbeType.OUTBOUND, attempt, hour, account, "could not enqueue: " + e.getClass().getSimpleName());
      return new Outbound() {
        public Probe await(long deadline) {
          return failed;
        }

        public void close() {}
      };
    }
    Instant start = item.createdAt();
    CompletableFuture<Instant> acked = new CompletableFuture<>();
    AtomicReference<OutboxStatus> last = new AtomicReference<>(item.status());
    AutoCloseable watch = outbox.watchItem(item.id(), i -> {
      last.set(i.status());
      if (i.status() == OutboxStatus.FAILED) {
        acked.completeExceptionally(new IllegalStateException("FAILED: " + i.error()));
      } else if (i.status().ordinal() >= OutboxStatus.SENT.ordinal()) {
        acked.complete(clock.instant());
      }
    }, acked::completeExceptionally);
    return new Outbound() {
      public Optional<OutboxItem> item() {
        return Optional.of(item);
      }

      public Probe await(long deadline) {
        try {
          Instant at = acked.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          return new Probe(ProbeType.OUTBOUND, inHour(start, hour), true,
              Math.max(0, Duration.between(start, at).toMillis()), account, null);
        } catch (TimeoutException e) {
          return failed(ProbeType.OUTBOUND, start, hour, account, "no server ack within " + cfg.timeout().toSeconds()
              + " s (status " + last.get() + ")");
        } catch (ExecutionException e) {
          return failed(ProbeType.OUTBOUND, start, hour, account, e.getCause().getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return failed(ProbeType.OUTBOUND, start, hour, account, "interrupted");
        }
      }

      public void close() {
        closeQuietly(watch);
      }
    };
  }

  private Inbound startInbound(Instant hour, ProbeConfig cfg) {
    String sender = cfg.inboundSender().orElseThrow();
    String monitored = cfg.inboundAccount().orElseThrow();
    String text = inboundText(hour);
    Instant attempt = clock.instant();
    Optional<Account> target = accounts.load(monitored);
    if (target.isEmpty()) {
      Probe failed = failed(ProbeType.INBOUND, attempt, hour, monitored, "the monitored account does not exist");
      return new Inbound() {
        public Probe await(long deadline) {
          return failed;
        }

        public void close() {}
      };
    }
    OutboxItem item;
    try {
      item = enqueue(inboundId(hour), sender, target.get().phoneE164(), text);
    } catch (StoreException e) {
      Probe failed = failed(ProbeType.INBOUND, attempt, hour, monitored, "could not enqueue: " + e.getClass().getSimpleName());
      return new Inbound() {
        public Probe await(long deadline) {
          return failed;
        }

        public void close() {}
      };
    }
    Instant start = item.createdAt();
    BlockingQueue<List<String>> changed = new LinkedBlockingQueue<>();
    AtomicReference<Exception> watchError = new AtomicReference<>();
    AutoCloseable watch = messages.watchThreadsSince(monitored, start.minus(THREAD_CLOCK_MARGIN), changed::add, e -> {
      watchError.set(e);
      changed.add(List.of());
    });
    return new Inbound() {
      public Optional<OutboxItem> item() {
        return Optional.of(item);
      }

      public Probe await(long deadline) {
        try {
          while (true) {
            List<String> threads = changed.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (threads == null) {
              String status = outbox.load(item.id()).map(i -> i.status().name()).orElse("gone");
              return failed(ProbeType.INBOUND, start, hour, monitored, "not stored within " + cfg.timeout().toSeconds()
                  + " s (the sender's item is " + status + ")");
            }
            if (watchError.get() != null) {
              return failed(ProbeType.INBOUND, start, hour, monitored,
                  "watching threads failed: " + watchError.get().getClass().getSimpleName());
            }
            for (String thread : threads) {
              Optional<StoredMessage> stored = messages.findByText(thread, text);
              if (stored.isPresent() && stored.get().storedAt() != null) {
                return new Probe(ProbeType.INBOUND, inHour(start, hour), true,
                    Math.max(0, Duration.between(start, stored.get().storedAt()).toMillis()), monitored, null);
              }
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return failed(ProbeType.INBOUND, start, hour, monitored, "interrupted");
        }
      }

      public void close() {
        closeQuietly(watch);
      }
    };
  }

  private static Probe failed(ProbeType type, Instant at, Instant hour, String accountId, String error) {
    return new Probe(type, inHour(at, hour), false, 0, accountId, error);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.atWarn().addKeyValue("reason", e.getClass().getSimpleName()).log("probe watch did not close");
    }
  }

  /** The result's time, kept inside the run's hour so its id (type and hour) matches the run. */
  private static Instant inHour(Instant t, Instant hour) {
    Instant end = hour.plus(Duration.ofHours(1)).minusMillis(1);
    return t.isBefore(hour) ? hour : t.isAfter(end) ? end : t;
  }

  private static Map<String, Object> view(Probe p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", p.ok());
    m.put("latencyMs", p.latencyMs());
    m.put("at", p.at());
    m.put("accountId", p.accountId());
    m.put("error", p.error());
    return m;
  }
}
