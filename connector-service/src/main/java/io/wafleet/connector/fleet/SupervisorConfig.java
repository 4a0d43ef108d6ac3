package io.wafleet.connector.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-account supervision settings (docs/configuration.md, "Connector service").
 *
 * @param connectTimeout from connect to login success (or to the first QR); then DISCONNECTED and a
 *     reconnect with backoff. Default 60 s.
 * @param backoff delays between reconnects
 * @param loopRetries reconnects within {@code loopWindow} that make a reconnect loop: a
 *     {@code reconnect-loop} incident and a hard reset of the account's supervisor. Default 10.
 * @param loopWindow the window the reconnects of a loop are counted in. Default 10 minutes.
 * @param timeoutsBeforeQr consecutive connect timeouts of a restored (paired) session after which
 *     a QR is offered too, the stored session kept until a new pairing succeeds. Default 3.
 * @param activityWriteEvery the least time between two activity-timestamp writes of one account.
 *     Default 1 minute.
 * @param phoneOfflineWarnAfter how long the account's phone may stay unseen before a
 *     {@code phone-offline} incident; WhatsApp logs a companion out after about 14 days. Default 12 days.
 */
public record SupervisorConfig(Duration connectTimeout, Backoff backoff, int loopRetries, Duration loopWindow,
    int timeoutsBeforeQr, Duration activityWriteEvery, Duration phoneOfflineWarnAfter) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_LOOP_RETRIES = 10;
  public static final Duration DEFAULT_LOOP_WINDOW = Duration.ofMinutes(10);
  public static final int DEFAULT_TIMEOUTS_BEFORE_QR = 3;
  public static final Duration DEFAULT_ACTIVITY_WRITE_EVERY = Duration.ofMinutes(1);
  public static final Duration DEFAULT_PHONE_OFFLINE_WARN_AFTER = Duration.ofDays(12);

  public SupervisorConfig {
    Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    Objects.requireNonNull(backoff, "backoff == null");
    Objects.requireNonNull(loopWindow, "loopWindow == null");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout <= 0");
    }
    if (loopRetries < 2) {
      throw new IllegalArgumentException("loopRetries < 2");
    }
    if (loopWindow.isNegative() || loopWindow.isZero()) {
      throw new IllegalArgumentException("loopWindow <= 0");
    }
    Objects.requireNonNull(activityWriteEvery, "activityWriteEvery == null");
    Objects.requireNonNull(phoneOfflineWarnAfter, "phoneOfflineWarnAfter == null");
    if (activityWriteEvery.isNegative() || activityWriteEvery.isZero()) {
      throw new IllegalArgumentException("activityWriteEvery <= 0");
    }
    if (phoneOfflineWarnAfter.isNegative() || phoneOfflineWarnAfter.isZero()) {
      throw new IllegalArgumentException("phoneOfflineWarnAfter <= 0");
    }
    if (timeoutsBeforeQr < 1) {
      throw new IllegalArgumentException("timeoutsBeforeQr < 1");
    }
  }

  /** The defaults for everything but the connect timeout and the backoff. */
  public SupervisorConfig(Duration connectTimeout, Backoff backoff) {
    this(connectTimeout, backoff, DEFAULT_LOOP_RETRIES, DEFAULT_LOOP_WINDOW, DEFAULT_TIMEOUTS_BEFORE_QR,
        DEFAULT_ACTIVITY_WRITE_EVERY, DEFAULT_PHONE_OFFLINE_WARN_AFTER);
  }
}
