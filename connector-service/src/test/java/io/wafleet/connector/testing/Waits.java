package io.wafleet.connector.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The connector tests' waits for asynchronous outcomes, on Awaitility: poll until a condition holds
 * or the limit passes. On timeout the failure names what was awaited and, for {@link #until(String,
 * Duration, Callable, Predicate, Function)}, the last value seen, described by the caller (so no
 * QR string or full record ends up in a test report).
 */
public final class Waits {

  private static final Duration POLL = Duration.ofMillis(50);

  private Waits() {}

  /** Waits until {@code condition} holds. */
  public static void until(String what, Duration limit, BooleanSupplier condition) {
    Awaitility.await(what).atMost(limit).pollInterval(POLL).until(condition::getAsBoolean);
  }

  /**
   * Polls {@code probe} until its value (null while absent) meets {@code condition}; returns that
   * value.
   */
  public static <T> T until(String what, Duration limit, Callable<T> probe, Predicate<? super T> condition,
      Function<? super T, String> describe) {
    return until(what, limit, POLL, probe, condition, describe);
  }

  /** As {@link #until(String, Duration, Callable, Predicate, Function)}, polling every {@code poll}. */
  public static <T> T until(String what, Duration limit, Duration poll, Callable<T> probe,
      Predicate<? super T> condition, Function<? super T, String> describe) {
    AtomicReference<T> last = new AtomicReference<>();
    try {
      return Awaitility.await(what).atMost(limit).pollInterval(poll).until(() -> {
        T value = probe.call();
        last.set(value);
        return value;
      }, value -> value != null && condition.test(value));
    } catch (ConditionTimeoutException timedOut) {
      T value = last.get();
      // Not chained: Awaitility's message holds the value's toString (a record's every field).
      throw new AssertionError("no " + what + " within " + limit.toSeconds() + " s; last: "
          + (value == null ? "none" : describe.apply(value)));
    }
  }
}
