package io.wafleet.functions.monitor;

import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Pass rate and latency percentiles of one probe type over a window. Percentiles are over the
 * latencies of passed probes (a failed probe has no meaningful latency), by the nearest-rank method;
 * null when no probe passed. Immutable.
 */
public record ProbeStats(ProbeType type, int total, int passed, Long p50Ms, Long p90Ms, Long p95Ms) {

  public int failed() {
    return total - passed;
  }

  /** passed / total in [0, 1]; null for no probes. */
  public Double passRate() {
    return total == 0 ? null : (double) passed / total;
  }

  /** One entry per probe type (every type, even without probes), from probes of any types. */
  public static Map<ProbeType, ProbeStats> of(List<Probe> probes) {
    Map<ProbeType, ProbeStats> out = new EnumMap<>(ProbeType.class);
    for (ProbeType type : ProbeType.values()) {
      List<Long> latencies = new ArrayList<>();
      int total = 0;
      for (Probe p : probes) {
        if (p.type() == type) {
          total++;
          if (p.ok()) {
            latencies.add(p.latencyMs());
          }
        }
      }
      Collections.sort(latencies);
      out.put(type, new ProbeStats(type, total, latencies.size(), percentile(latencies, 50),
          percentile(latencies, 90), percentile(latencies, 95)));
    }
    return out;
  }

  /** Nearest rank: the smallest value with at least p % of the values at or below it. */
  static Long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
