package io.wafleet.connector.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-account supervision settings (docs/configuration.md, "Connector").
 *
 * @param connectTimeout from connect to login success (or to the first QR); then DISCONNECTED and a
 *     reconnect with backoff. Default 60 s.
 * @param backoff delays between reconnects
 */
public record SupervisorConfig(Duration connectTimeout, Backoff backoff) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);

  public SupervisorConfig {
    Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    Objects.requireNonNull(backoff, "backoff == null");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout <= 0");
    }
  }
}
