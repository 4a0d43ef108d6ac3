package io.wafleet.client.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The server stopped answering keepalive pings (§7.5): a ping went unanswered for the keepalive
 * timeout, or nothing at all arrived for longer than interval + timeout. The client considers the
 * socket dead; {@code Disconnected(CONNECTION_LOST)} follows at once.
 *
 * @param lastReceived when the last frame arrived
 * @param silentFor how long nothing arrived
 */
public record KeepAliveTimeout(Instant lastReceived, Duration silentFor) implements WaEvent {

  public KeepAliveTimeout {
    Objects.requireNonNull(lastReceived, "lastReceived == null");
    Objects.requireNonNull(silentFor, "silentFor == null");
  }
}
