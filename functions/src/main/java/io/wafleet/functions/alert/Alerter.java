package io.wafleet.functions.alert;

import io.wafleet.common.store.AlertStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts at most once per {@code throttle} for each type and subject, across every stateless
 * function instance (the last-sent time is in Firestore), and sends one recovery message when the
 * problem is over. A send that fails gives the reservation back, so the next run tries again.
 * Thread-safe.
 */
public final class Alerter {

  public static final Duration DEFAULT_THROTTLE = Duration.ofHours(1);
  private static final Logger log = LoggerFactory.getLogger(Alerter.class);

  /** What {@link #raise} did. */
  public enum Outcome {
    SENT,
    THROTTLED,
    FAILED,
    /** {@link #recoverOnce}: no recovery due (none alerted, or already sent). */
    NONE
  }

  private final AlertStateStore states;
  private final AlertChannel channel;
  private final Duration throttle;
  private final Clock clock;

  public Alerter(AlertStateStore states, AlertChannel channel, Duration throttle, Clock clock) {
    this.states = Objects.requireNonNull(states, "states == null");
    this.channel = Objects.requireNonNull(channel, "channel == null");
    this.throttle = Objects.requireNonNull(throttle, "throttle == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  public Outcome raise(Alert alert) {
    String type = alert.type().wireName();
    if (!states.tryReserve(type, alert.subject(), throttle, alert.since())) {
      return Outcome.THROTTLED;
    }
    try {
      channel.send(AlertText.problem(alert, clock.instant()));
      log.atInfo().addKeyValue("type", type).addKeyValue("subject", alert.subject())
          .addKeyValue("channel", channel.describe()).log("alert sent");
      return Outcome.SENT;
    } catch (AlertDeliveryException e) {
      states.release(type, alert.subject());
      log.atWarn().addKeyValue("type", type).addKeyValue("subject", alert.subject())
          .addKeyValue("reason", e.getMessage()).log("alert not delivered");
      return Outcome.FAILED;
    }
  }

  /**
   * Sends the recovery message. Not throttled: callers send it only for the run that resolved the
   * incident, which happens once.
   */
  public Outcome recover(Alert alert, Duration timeToRecover) {
    try {
      channel.send(AlertText.recovery(alert, timeToRecover));
      log.atInfo().addKeyValue("type", alert.type().wireName()).addKeyValue("subject", alert.subject())
          .log("recovery sent");
      return Outcome.SENT;
    } catch (AlertDeliveryException e) {
      log.atWarn().addKeyValue("type", alert.type().wireName()).addKeyValue("subject", alert.subject())
          .addKeyValue("reason", e.getMessage()).log("recovery not delivered");
      return Outcome.FAILED;
    }
  }

  /**
   * Sends the one recovery message of an episode whose problem alert was sent at or after
   * {@code alertedNotBefore} (for an incident: its opening time), once across every run and instance
   * (marked in Firestore; a failed send takes the mark back so the next run retries). The text's
   * "since" and duration come from the alert's {@code since}, or, when {@code timeToRecover} is
   * null, from when the alerted condition began until now. The label is built only when a recovery
   * is due (for an account it costs a read).
   */
  public Outcome recoverOnce(AlertType type, String subject, Supplier<String> subjectLabel, Instant alertedNotBefore,
      Duration timeToRecover) {
    String wire = type.wireName();
    Optional<Instant> since = states.markRecovered(wire, subject, alertedNotBefore);
    if (since.isEmpty()) {
      return Outcome.NONE;
    }
    Instant begin = timeToRecover == null ? since.get() : alertedNotBefore;
    Duration took = timeToRecover == null ? Duration.between(begin, clock.instant()) : timeToRecover;
    Outcome out = recover(new Alert(type, subject, subjectLabel.get(), "recovered", begin), took);
    if (out == Outcome.FAILED) {
      states.unmarkRecovered(wire, subject);
    }
    return out;
  }
}
