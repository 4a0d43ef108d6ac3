package io.wafleet.functions.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.Objects;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) as Cloud Scheduler
 * reads it, limited to what scheduler/jobs.yaml needs: {@code *}, {@code * /n}, numbers, ranges
 * {@code a-b} and lists {@code a,b}; evaluated in UTC. When both day fields are restricted, either
 * may match (classic cron). Immutable.
 */
public final class Cron {

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean daysRestricted;
  private final boolean weekdaysRestricted;

  private Cron(String expression, String[] f) {
    this.expression = expression;
    this.minutes = field(f[0], 0, 59, "minute");
    this.hours = field(f[1], 0, 23, "hour");
    this.days = field(f[2], 1, 31, "day of month");
    this.months = field(f[3], 1, 12, "month");
    BitSet dow = field(f[4], 0, 7, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    this.weekdays = dow;
    this.daysRestricted = !f[2].equals("*");
    this.weekdaysRestricted = !f[4].equals("*");
  }

  /** Parses; throws IllegalArgumentException naming the field at fault. */
  public static Cron parse(String expression) {
    Objects.requireNonNull(expression, "expression == null");
    String[] f = expression.trim().split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("cron '" + expression + "' must have 5 fields");
    }
    return new Cron(expression.trim(), f);
  }

  /** Whether the minute holding {@code at} (UTC) is one this schedule fires in. */
  public boolean matches(Instant at) {
    ZonedDateTime t = at.atZone(ZoneOffset.UTC);
    boolean dom = days.get(t.getDayOfMonth());
    boolean dow = weekdays.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    boolean day = daysRestricted && weekdaysRestricted ? dom || dow : dom && dow;
    return minutes.get(t.getMinute()) && hours.get(t.getHour()) && months.get(t.getMonthValue()) && day;
  }

  @Override
  public String toString() {
    return expression;
  }

  private static BitSet field(String raw, int min, int max, String name) {
    BitSet out = new BitSet(max + 1);
    for (String part : raw.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, name);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ab = range.split("-", 2);
        from = number(ab[0], min, max, name);
        to = number(ab[1], min, max, name);
        if (to < from) {
          throw new IllegalArgumentException("cron " + name + " range '" + range + "' is reversed");
        }
      } else {
        from = number(range, min, max, name);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        out.set(v);
      }
    }
    return out;
  }

  private static int number(String raw, int min, int max, String name) {
    try {
      int v = Integer.parseInt(raw);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException("cron " + name + " '" + raw + "' must be a number from " + min + " to " + max);
  }
}
