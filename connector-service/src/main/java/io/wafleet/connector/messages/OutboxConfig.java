package io.wafleet.connector.messages;

import io.wafleet.connector.fleet.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * Outbound settings of a connector instance.
 *
 * @param messagesPerMinute texts one account sends per minute at most; a burst waits in the queue,
 *     nothing is dropped. Default 20: a conservative pace for a companion device.
 * @param maxAttempts attempts per outbox item before it is FAILED with the last reason. Default 5.
 * @param retryBackoff delay before attempt n+1 after n failed attempts
 */
public record OutboxConfig(int messagesPerMinute, int maxAttempts, Backoff retryBackoff) {

  public static final int DEFAULT_MESSAGES_PER_MINUTE = 20;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  public OutboxConfig {
    if (messagesPerMinute < 1 || messagesPerMinute > 600) {
      throw new IllegalArgumentException("messagesPerMinute must be 1..600");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts < 1");
    }
    Objects.requireNonNull(retryBackoff, "retryBackoff == null");
  }

  /** The least time between two sends of one account. */
  public Duration spacing() {
    return Duration.ofMillis(60_000L / messagesPerMinute);
  }
}
