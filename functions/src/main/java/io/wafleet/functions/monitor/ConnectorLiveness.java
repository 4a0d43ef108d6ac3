package io.wafleet.functions.monitor;

import io.wafleet.common.model.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether a connector instance is alive, judged from its {@code connectors/{instanceId}} document:
 * its lease still runs and its last beat is at most {@code stale} old. The same rule as the API's
 * health check, so the heartbeat, the watchdog and /v1/health agree. Immutable.
 */
public record ConnectorLiveness(Duration stale) {

  public ConnectorLiveness {
    Objects.requireNonNull(stale, "stale == null");
    if (stale.isNegative() || stale.isZero()) {
      throw new IllegalArgumentException("stale must be positive");
    }
  }

  public boolean isAlive(Lease lease, Instant now) {
    return lease.isLiveAt(now, Duration.ZERO) && lease.lastBeatAt().plus(stale).isAfter(now);
  }
}
