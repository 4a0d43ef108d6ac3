package io.wafleet.connector.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: 1, 2, 4, 8, 16, 32, then 60 s for every later attempt, each ±20 % at random so a
 * fleet that lost its connections together does not come back in lockstep. The random source is
 * injected (tests pin it). Thread-safe if the random source is.
 */
public final class Backoff {

  /** The production steps (docs/architecture.md, "Cold start / redeploy"). */
  public static final List<Duration> STEPS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32),
      Duration.ofSeconds(60));
  public static final double JITTER = 0.2;

  private final List<Duration> steps;
  private final double jitter;
  private final DoubleSupplier random;

  /** @param random uniform in [0, 1) */
  public Backoff(List<Duration> steps, double jitter, DoubleSupplier random) {
    this.steps = List.copyOf(Objects.requireNonNull(steps, "steps == null"));
    if (this.steps.isEmpty()) {
      throw new IllegalArgumentException("steps is empty");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter out of [0, 1): " + jitter);
    }
    this.jitter = jitter;
    this.random = Objects.requireNonNull(random, "random == null");
  }

  public static Backoff standard(DoubleSupplier random) {
    return new Backoff(STEPS, JITTER, random);
  }

  /** The delay before reconnect number {@code attempt} (1 = the first retry). */
  public Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt < 1");
    }
    Duration base = steps.get(Math.min(attempt, steps.size()) - 1);
    double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
    return Duration.ofNanos(Math.round(base.toNanos() * factor));
  }
}
