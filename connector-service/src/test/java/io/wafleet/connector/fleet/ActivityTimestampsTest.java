package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wafleet.common.testing.ManualClock;
import io.wafleet.connector.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Counts the account writes the coalescer makes, with time moved by hand. */
@Timeout(10)
class ActivityTimestampsTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<ActivityTimestamps.Activity> writes = new ArrayList<>();
  private final ActivityTimestamps activity = new ActivityTimestamps(Duration.ofMinutes(1), clock, scheduler,
      Runnable::run, writes::add);

  @Test
  void aMessageEverySecond_forThreeMinutes_costsOneWritePerMinute() {
    Instant start = clock.instant();
    for (int second = 0; second < 180; second++) {
      activity.message(clock.instant());
      scheduler.advance(Duration.ofSeconds(1));
    }
    // 0 s: the first at once; 60 s and 120 s: what came meanwhile; 180 s: the last minute's, by its timer.
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(4, writes.size(), writes.toString());
    assertEquals(start, writes.get(0).lastMessageAt());
    assertEquals(start.plusSeconds(59), writes.get(1).lastMessageAt(), "the newest value of the minute");
    assertEquals(start.plusSeconds(119), writes.get(2).lastMessageAt());
    assertEquals(start.plusSeconds(179), writes.get(3).lastMessageAt());
    assertEquals(0, scheduler.pending(), "nothing waits once written");
  }

  @Test
  void afterAQuietMinute_theNextActivityIsWrittenAtOnce_withOnlyWhatChanged() {
    activity.event(clock.instant());
    clock.advance(Duration.ofMinutes(5));
    Instant seen = clock.instant();
    activity.phoneSeen(seen);
    assertEquals(2, writes.size());
    assertEquals(seen, writes.get(1).phoneLastSeenAt());
    assertEquals(seen, writes.get(1).lastEventAt());
    assertEquals(null, writes.get(1).lastMessageAt(), "unchanged fields are left as stored");
  }

  @Test
  void stop_dropsWhatIsPending_andWritesNothingMore() {
    activity.event(clock.instant());
    activity.event(clock.instant().plusSeconds(1));
    activity.stop();
    scheduler.advance(Duration.ofMinutes(2));
    activity.event(clock.instant());
    assertEquals(1, writes.size());
    assertEquals(0, scheduler.pending());
  }
}
