package io.wafleet.common.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * wa_metrics/longrun/heartbeats/{YYYY-MM-DDTHH-MM}: one per minute for the whole fleet.
 *
 * @param bucket the minute this heartbeat stands for (truncated to the minute when stored)
 * @param connectorsAlive connector instances whose last beat is fresh at {@code at}
 * @param countsByStatus accounts per {@link AccountStatus} name
 * @param connectorMemoryBytes the sum of the memory the live connectors reported in their beats
 * @param driftMs how late the run started after its minute began (scheduling drift), never negative
 * @param at when the heartbeat job wrote it
 */
public record Heartbeat(
    Instant bucket,
    int connectorsAlive,
    Map<String, Long> countsByStatus,
    long connectorMemoryBytes,
    long driftMs,
    Instant at) {
  public Heartbeat {
    Objects.requireNonNull(bucket, "bucket == null");
    Objects.requireNonNull(at, "at == null");
    countsByStatus = Map.copyOf(Objects.requireNonNull(countsByStatus, "countsByStatus == null"));
    if (connectorsAlive < 0) {
      throw new IllegalArgumentException("connectorsAlive < 0");
    }
    if (connectorMemoryBytes < 0) {
      throw new IllegalArgumentException("connectorMemoryBytes < 0");
    }
    if (driftMs < 0) {
      throw new IllegalArgumentException("driftMs < 0");
    }
  }
}
