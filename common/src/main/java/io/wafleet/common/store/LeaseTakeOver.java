package io.wafleet.common.store;

import io.wafleet.common.model.Lease;
import java.util.Objects;

/**
 * What a process starting under an instance id wrote ({@code lease}) and what it replaced
 * ({@code previous}, null when the id had no lease).
 */
public record LeaseTakeOver(Lease lease, Lease previous) {
  public LeaseTakeOver {
    Objects.requireNonNull(lease, "lease == null");
  }

  /** True when accounts owned under this id may be claimed back at once. */
  public boolean reclaimAtOnce() {
    return !lease.reclaimAfter().isAfter(lease.startedAt());
  }
}
