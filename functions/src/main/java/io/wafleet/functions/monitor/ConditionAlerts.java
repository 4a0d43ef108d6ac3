package io.wafleet.functions.monitor;

import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.store.HeartbeatStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.functions.alert.Alert;
import io.wafleet.functions.alert.AlertType;
import io.wafleet.functions.alert.Alerter;
import io.wafleet.functions.alert.IncidentAlerts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Fleet-wide conditions that are not incidents, alerted about subject {@value #SUBJECT}:
 * <ul>
 *   <li>missed-heartbeats: more than {@value #MAX_MISSED_PER_HOUR} minutes without a heartbeat in the
 *       last hour (the 60 whole minutes before the run's minute);
 *   <li>low-coverage: heartbeat coverage of that hour under {@value #MIN_COVERAGE_PERCENT} %;
 *   <li>queue-depth: more than {@value #MAX_QUEUED} outbox items QUEUED.
 * </ul>
 * The hour starts no earlier than the first heartbeat ever stored, so a fresh deployment does not
 * count the minutes before it existed. Each condition alerts through the {@link Alerter} throttle
 * and sends one recovery when it no longer holds. Costs per run: one heartbeat read per minute of the
 * hour (60) plus one for the first heartbeat, one count aggregation, and one outbox read while the
 * queue is too deep. Thread-safe (stateless).
 */
public final class ConditionAlerts {

  public static final String SUBJECT = "fleet";
  public static final int MAX_MISSED_PER_HOUR = 3;
  public static final int MIN_COVERAGE_PERCENT = 80;
  public static final long MAX_QUEUED = 100;
  static final Duration WINDOW = Duration.ofHours(1);
  private static final String LABEL = "the fleet";
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private final HeartbeatStore heartbeats;
  private final OutboxStore outbox;
  private final Alerter alerter;
  private final Clock clock;

  public ConditionAlerts(HeartbeatStore heartbeats, OutboxStore outbox, Alerter alerter, Clock clock) {
    this.heartbeats = Objects.requireNonNull(heartbeats, "heartbeats == null");
    this.outbox = Objects.requireNonNull(outbox, "outbox == null");
    this.alerter = Objects.requireNonNull(alerter, "alerter == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  public IncidentAlerts.Sent run() {
    Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    IncidentAlerts.Sent sent = IncidentAlerts.Sent.NONE;
    Optional<Instant> first = heartbeats.firstBucket();
    if (first.isPresent() && first.get().isBefore(end)) {
      Instant from = first.get().isAfter(end.minus(WINDOW)) ? first.get() : end.minus(WINDOW);
      Coverage c = Coverage.of(from, end, heartbeats.list(from, end));
      Instant since = c.gaps().isEmpty() ? end : c.gaps().get(0).from();
      sent = sent.plus(check(AlertType.MISSED_HEARTBEATS, c.missedMinutes() > MAX_MISSED_PER_HOUR,
          () -> c.missedMinutes() + " minutes without a heartbeat in the last " + c.minutesInWindow()
              + " minutes (more than " + MAX_MISSED_PER_HOUR + "); gaps " + gaps(c), since));
      sent = sent.plus(check(AlertType.LOW_COVERAGE, c.ratio() * 100 < MIN_COVERAGE_PERCENT,
          () -> String.format(Locale.ROOT, "heartbeat coverage %.1f %% over the last %d minutes (under %d %%)",
              c.ratio() * 100, c.minutesInWindow(), MIN_COVERAGE_PERCENT), since));
    }
    long queued = outbox.countByStatus(OutboxStatus.QUEUED);
    boolean deep = queued > MAX_QUEUED;
    Instant oldest = deep
        ? outbox.listByStatus(OutboxStatus.QUEUED, 1).stream().map(OutboxItem::createdAt).findFirst().orElse(end)
        : end;
    sent = sent.plus(check(AlertType.QUEUE_DEPTH, deep,
        () -> queued + " messages QUEUED in the outbox (more than " + MAX_QUEUED
            + "); the time below is when the oldest was queued", oldest));
    return sent;
  }

  private IncidentAlerts.Sent check(AlertType type, boolean holds, java.util.function.Supplier<String> what,
      Instant since) {
    if (holds) {
      return switch (alerter.raise(new Alert(type, SUBJECT, LABEL, what.get(), since))) {
        case SENT -> new IncidentAlerts.Sent(1, 0, 0, 0);
        case THROTTLED -> new IncidentAlerts.Sent(0, 1, 0, 0);
        case FAILED -> new IncidentAlerts.Sent(0, 0, 1, 0);
        case NONE -> IncidentAlerts.Sent.NONE;
      };
    }
    return switch (alerter.recoverOnce(type, SUBJECT, () -> LABEL, Instant.EPOCH, null)) {
      case SENT -> new IncidentAlerts.Sent(0, 0, 0, 1);
      case FAILED -> new IncidentAlerts.Sent(0, 0, 1, 0);
      default -> IncidentAlerts.Sent.NONE;
    };
  }

  private static String gaps(Coverage c) {
    List<Coverage.Gap> g = c.gaps();
    String shown = g.stream().limit(5).map(x -> HH_MM.format(x.from()) + "-" + HH_MM.format(x.to()) + " UTC")
        .collect(Collectors.joining(", "));
    return g.size() > 5 ? shown + " and " + (g.size() - 5) + " more" : shown;
  }
}
