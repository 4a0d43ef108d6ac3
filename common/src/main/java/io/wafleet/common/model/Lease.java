package io.wafleet.common.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * connectors/{instanceId}: one connector instance's lease. An account is owned while its owner's
 * lease is live; one document per instance keeps renewal cost proportional to instances, not
 * accounts (docs/architecture.md, "Leases").
 */
public record Lease(
    String instanceId,
    Instant leaseUntil,
    long generation,
    Instant startedAt,
    Instant lastBeatAt,
    String version,
    int accountsOwned,
    long memoryBytes) {

  public Lease {
    Objects.requireNonNull(instanceId, "instanceId == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    Objects.requireNonNull(startedAt, "startedAt == null");
    Objects.requireNonNull(lastBeatAt, "lastBeatAt == null");
    Objects.requireNonNull(version, "version == null");
  }

  /**
   * Live at {@code now}, judged conservatively: a claimer treats the lease as live for
   * {@code skew} longer than it says, so clock differences between instances cannot make two owners.
   */
  public boolean isLiveAt(Instant now, Duration skew) {
    return now.isBefore(leaseUntil.plus(skew));
  }
}
