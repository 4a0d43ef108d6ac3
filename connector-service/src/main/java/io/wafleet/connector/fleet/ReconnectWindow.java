package io.wafleet.connector.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The reconnects of one account in a sliding time window, to tell a reconnect loop (at least
 * {@code limit} reconnects within {@code window}) from ordinary retries. Confined to the account's
 * serial executor; not thread-safe.
 */
final class ReconnectWindow {

  private final int limit;
  private final Duration window;
  private final Deque<Instant> reconnects = new ArrayDeque<>();

  ReconnectWindow(int limit, Duration window) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit < 1");
    }
    this.limit = limit;
    this.window = Objects.requireNonNull(window, "window == null");
  }

  /** Counts a reconnect at {@code now}; true when the window now holds {@code limit} or more. */
  boolean record(Instant now) {
    reconnects.addLast(now);
    Instant oldest = now.minus(window);
    while (!reconnects.isEmpty() && !reconnects.peekFirst().isAfter(oldest)) {
      reconnects.removeFirst();
    }
    return reconnects.size() >= limit;
  }

  /** How many reconnects the window holds (as of the last {@link #record}). */
  int count() {
    return reconnects.size();
  }

  void clear() {
    reconnects.clear();
  }
}
