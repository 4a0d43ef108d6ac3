package io.wafleet.functions.monitor;

import io.wafleet.common.model.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Heartbeat coverage of a window, as the system wafleet replaces defined it: minutes with a
 * heartbeat / minutes in the window. A gap is a run of consecutive minutes without one. Also counts
 * the minutes whose heartbeat saw at least one live connector. Immutable.
 *
 * @param from start of the window, on a minute
 * @param to end of the window (exclusive), on a minute
 */
public record Coverage(
    Instant from,
    Instant to,
    long minutesInWindow,
    long minutesWithHeartbeat,
    long minutesWithLiveConnector,
    List<Gap> gaps) {

  /** Consecutive minutes [from, to) without a heartbeat. */
  public record Gap(Instant from, Instant to) {
    public long minutes() {
      return Duration.between(from, to).toMinutes();
    }
  }

  public Coverage {
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    gaps = List.copyOf(gaps);
  }

  /** minutesWithHeartbeat / minutesInWindow in [0, 1]; 1 for an empty window. */
  public double ratio() {
    return minutesInWindow == 0 ? 1.0 : (double) minutesWithHeartbeat / minutesInWindow;
  }

  /** Minutes without a heartbeat. */
  public long missedMinutes() {
    return minutesInWindow - minutesWithHeartbeat;
  }

  /**
   * Coverage of [from, to) with both ends rounded down to the minute, from the heartbeats stored for
   * it (any order; buckets outside the window are ignored).
   */
  public static Coverage of(Instant from, Instant to, List<Heartbeat> heartbeats) {
    Instant start = from.truncatedTo(ChronoUnit.MINUTES);
    Instant end = to.truncatedTo(ChronoUnit.MINUTES);
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("to is before from");
    }
    Map<Instant, Heartbeat> byMinute = new HashMap<>();
    for (Heartbeat h : heartbeats) {
      byMinute.put(h.bucket().truncatedTo(ChronoUnit.MINUTES), h);
    }
    long minutes = Duration.between(start, end).toMinutes();
    long covered = 0;
    long live = 0;
    List<Gap> gaps = new ArrayList<>();
    Instant gapStart = null;
    for (Instant m = start; m.isBefore(end); m = m.plus(Duration.ofMinutes(1))) {
      Heartbeat h = byMinute.get(m);
      if (h != null) {
        covered++;
        if (h.connectorsAlive() > 0) {
          live++;
        }
        if (gapStart != null) {
          gaps.add(new Gap(gapStart, m));
          gapStart = null;
        }
      } else if (gapStart == null) {
        gapStart = m;
      }
    }
    if (gapStart != null) {
      gaps.add(new Gap(gapStart, end));
    }
    return new Coverage(start, end, minutes, covered, live, gaps);
  }
}
