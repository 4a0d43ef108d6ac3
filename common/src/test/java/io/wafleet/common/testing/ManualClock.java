package io.wafleet.common.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that moves only when told to, so a test of a 60 s timeout or a 30 s lease runs in
 * milliseconds. Thread-safe.
 */
public final class ManualClock extends Clock {

  private volatile Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  public synchronized Instant advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("step < 0");
    }
    now = now.plus(step);
    return now;
  }

  public synchronized void set(Instant instant) {
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
