package io.wafleet.common.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** wa_metrics/longrun/heartbeats/{YYYY-MM-DDTHH-MM}: one per minute for the whole fleet. */
public record Heartbeat(Instant bucket, int connectorsAlive, Map<String, Long> countsByStatus, Instant at) {
  public Heartbeat {
    Objects.requireNonNull(bucket, "bucket == null");
    Objects.requireNonNull(at, "at == null");
    countsByStatus = Map.copyOf(Objects.requireNonNull(countsByStatus, "countsByStatus == null"));
    if (connectorsAlive < 0) {
      throw new IllegalArgumentException("connectorsAlive < 0");
    }
  }
}
