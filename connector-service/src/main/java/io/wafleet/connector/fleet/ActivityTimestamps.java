package io.wafleet.connector.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Coalesces one account's activity timestamps ({@code lastEventAt}, {@code lastMessageAt},
 * {@code phoneLastSeenAt}) into at most one account write per {@code every} (docs/firestore-costs.md:
 * writes follow what happens, not time × frames). The first activity after a quiet period is written
 * at once; later ones wait for the period to end and go out together, newest values only.
 *
 * <p>Confined to the account's serial executor; the timer only hands the flush back to it.
 */
final class ActivityTimestamps {

  /** What one write carries; a null field is left as stored. */
  record Activity(Instant lastEventAt, Instant lastMessageAt, Instant phoneLastSeenAt) {}

  private final Duration every;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Executor serial;
  private final Consumer<Activity> writer;
  private Instant lastEventAt;
  private Instant lastMessageAt;
  private Instant phoneLastSeenAt;
  private Instant lastWriteAt;
  private Scheduler.Cancellable timer;
  private boolean stopped;

  ActivityTimestamps(Duration every, Clock clock, Scheduler scheduler, Executor serial, Consumer<Activity> writer) {
    this.every = Objects.requireNonNull(every, "every == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
    this.serial = Objects.requireNonNull(serial, "serial == null");
    this.writer = Objects.requireNonNull(writer, "writer == null");
  }

  /** Any traffic of the account (a receipt, a message, a login). */
  void event(Instant at) {
    lastEventAt = at;
    changed();
  }

  /** A message received (or sent) by the account. */
  void message(Instant at) {
    lastEventAt = at;
    lastMessageAt = at;
    changed();
  }

  /** The account's phone (main device) was seen active. */
  void phoneSeen(Instant at) {
    lastEventAt = at;
    phoneLastSeenAt = at;
    changed();
  }

  /** Stops the timer; what is pending is dropped (the next owner writes its own). */
  void stop() {
    stopped = true;
    cancelTimer();
  }

  private void changed() {
    if (stopped) {
      return;
    }
    Instant now = clock.instant();
    Instant allowedAt = lastWriteAt == null ? now : lastWriteAt.plus(every);
    if (!now.isBefore(allowedAt)) {
      flush();
    } else if (timer == null) {
      timer = scheduler.schedule(Duration.between(now, allowedAt), () -> serial.execute(this::onTimer));
    }
  }

  private void onTimer() {
    timer = null;
    if (!stopped) {
      flush();
    }
  }

  private void flush() {
    cancelTimer();
    if (lastEventAt == null && lastMessageAt == null && phoneLastSeenAt == null) {
      return;
    }
    Activity activity = new Activity(lastEventAt, lastMessageAt, phoneLastSeenAt);
    lastEventAt = null;
    lastMessageAt = null;
    phoneLastSeenAt = null;
    lastWriteAt = clock.instant();
    writer.accept(activity);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
