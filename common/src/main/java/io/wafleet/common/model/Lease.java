package io.wafleet.common.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * connectors/{instanceId}: one connector instance's lease. An account is owned while its owner's
 * lease is live; one document per instance keeps renewal cost proportional to instances, not
 * accounts (docs/architecture.md, "Leases").
 *
 * <p>{@code generation} counts the processes that have held this instance id; {@code incarnation} is
 * the random id of the process holding it now (a process that finds another incarnation in its lease
 * has been replaced and stops at once). {@code holder} names where that process runs (host and lock
 * file), and {@code reclaimAfter} is when this incarnation may take back accounts still owned under
 * its instance id by an earlier process: at once when the earlier one is known to be gone, else when
 * its lease (plus the skew margin) has run out.
 */
public record Lease(
    String instanceId,
    Instant leaseUntil,
    long generation,
    Instant startedAt,
    Instant lastBeatAt,
    String version,
    int accountsOwned,
    long memoryBytes,
    String incarnation,
    String holder,
    Instant reclaimAfter) {

  public Lease {
    Objects.requireNonNull(instanceId, "instanceId == null");
    Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    Objects.requireNonNull(startedAt, "startedAt == null");
    Objects.requireNonNull(lastBeatAt, "lastBeatAt == null");
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(incarnation, "incarnation == null");
    Objects.requireNonNull(holder, "holder == null");
    Objects.requireNonNull(reclaimAfter, "reclaimAfter == null");
  }

  /**
   * Live at {@code now}, judged conservatively: a claimer treats the lease as live for
   * {@code skew} longer than it says, so clock differences between instances cannot make two owners.
   */
  public boolean isLiveAt(Instant now, Duration skew) {
    return now.isBefore(leaseUntil.plus(skew));
  }
}
