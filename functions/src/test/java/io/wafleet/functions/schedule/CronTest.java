package io.wafleet.functions.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CronTest {

  @Test
  void everyMinute_matchesAnyMinute() {
    assertTrue(Cron.parse("* * * * *").matches(Instant.parse("2026-11-23T10:17:42Z")));
  }

  @Test
  void dailyAtFivePastMidnight_matchesOnlyThatMinute() {
    Cron c = Cron.parse("5 0 * * *");
    assertTrue(c.matches(Instant.parse("2026-11-23T00:05:59Z")));
    assertFalse(c.matches(Instant.parse("2026-11-23T00:06:00Z")));
    assertFalse(c.matches(Instant.parse("2026-11-23T01:05:00Z")));
  }

  @Test
  void stepsRangesListsAndWeekdays() {
    Cron c = Cron.parse("*/15 8-9 * * 1,7");
    assertTrue(c.matches(Instant.parse("2026-11-23T08:45:00Z")));  // a Monday
    assertTrue(c.matches(Instant.parse("2026-11-22T09:00:00Z")));  // a Sunday (7 == 0)
    assertFalse(c.matches(Instant.parse("2026-11-24T08:45:00Z"))); // a Tuesday
    assertFalse(c.matches(Instant.parse("2026-11-23T08:44:00Z")));
  }

  @Test
  void badExpressions_nameTheField() {
    assertEquals("cron '* * *' must have 5 fields",
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("* * *")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("60 * * * *")).getMessage().contains("minute"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("* 5-2 * * *")).getMessage().contains("reversed"));
  }
}
