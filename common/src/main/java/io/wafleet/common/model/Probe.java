package io.wafleet.common.model;

import java.time.Instant;
import java.util.Objects;

/** wa_metrics/longrun/probes/{TYPE}_{YYYYMMDDTHH}: the result of one probe run. */
public record Probe(ProbeType type, Instant at, boolean ok, long latencyMs, String accountId, String error) {
  public Probe {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(at, "at == null");
    if (latencyMs < 0) {
      throw new IllegalArgumentException("latencyMs < 0");
    }
  }
}
