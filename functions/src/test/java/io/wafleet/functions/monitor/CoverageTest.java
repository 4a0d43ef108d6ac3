package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wafleet.common.model.Heartbeat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CoverageTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static Heartbeat beat(int minute, int alive) {
    Instant at = T0.plusSeconds(60L * minute);
    return new Heartbeat(at, alive, Map.of(), 0, 0, at.plusSeconds(2));
  }

  @Test
  void missingMinutes_areGaps_andCoverageIsMinutesWithHeartbeatOverMinutesInWindow() {
    List<Heartbeat> beats = List.of(beat(0, 1), beat(1, 1), beat(4, 0), beat(5, 1), beat(9, 1));
    Coverage c = Coverage.of(T0, T0.plusSeconds(600), beats);
    assertEquals(10, c.minutesInWindow());
    assertEquals(5, c.minutesWithHeartbeat());
    assertEquals(4, c.minutesWithLiveConnector());
    assertEquals(0.5, c.ratio());
    assertEquals(5, c.missedMinutes());
    assertEquals(List.of(
        new Coverage.Gap(T0.plusSeconds(120), T0.plusSeconds(240)),
        new Coverage.Gap(T0.plusSeconds(360), T0.plusSeconds(540))), c.gaps());
    assertEquals(2, c.gaps().get(0).minutes());
  }

  @Test
  void windowEnds_roundDownToTheMinute_andTrailingGapIsClosedByTheWindow() {
    Coverage c = Coverage.of(T0.plusSeconds(30), T0.plusSeconds(190), List.of(beat(0, 1), beat(5, 1)));
    assertEquals(T0, c.from());
    assertEquals(T0.plusSeconds(180), c.to());
    assertEquals(3, c.minutesInWindow());
    assertEquals(1, c.minutesWithHeartbeat());
    assertEquals(List.of(new Coverage.Gap(T0.plusSeconds(60), T0.plusSeconds(180))), c.gaps());
  }

  @Test
  void emptyWindow_isFullyCovered_andReversedWindowIsRefused() {
    assertEquals(1.0, Coverage.of(T0, T0, List.of()).ratio());
    assertThrows(IllegalArgumentException.class, () -> Coverage.of(T0.plusSeconds(60), T0, List.of()));
  }
}
