package io.wafleet.connector.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * This instance's lease settings (docs/architecture.md, "Leases").
 *
 * @param instanceId the document id under {@code connectors/}; unique per running instance
 * @param ttl how long one renewal keeps the lease (default 30 s)
 * @param renewEvery time between renewals (default 10 s); shorter than {@code ttl}
 * @param version the build version written with each liveness beat
 */
public record LeaseConfig(String instanceId, Duration ttl, Duration renewEvery, String version) {

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RENEW_EVERY = Duration.ofSeconds(10);

  public LeaseConfig {
    Objects.requireNonNull(instanceId, "instanceId == null");
    Objects.requireNonNull(ttl, "ttl == null");
    Objects.requireNonNull(renewEvery, "renewEvery == null");
    Objects.requireNonNull(version, "version == null");
    if (instanceId.isBlank()) {
      throw new IllegalArgumentException("instanceId is blank");
    }
    if (renewEvery.isNegative() || renewEvery.isZero()) {
      throw new IllegalArgumentException("renewEvery <= 0");
    }
    if (renewEvery.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException("renewEvery >= ttl");
    }
  }
}
