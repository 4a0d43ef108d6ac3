package io.wafleet.client.internal;

import io.wafleet.client.ConnectionState;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a connection's {@link ConnectionState} changes. Thread-safe.
 */
final class ConnectionStateMachine {

  private static final Logger log = LoggerFactory.getLogger(ConnectionStateMachine.class);

  private final AtomicReference<ConnectionState> state =
      new AtomicReference<>(ConnectionState.IDLE);
  private final String name;

  ConnectionStateMachine(String name) {
    this.name = name;
  }

  ConnectionState current() {
    return state.get();
  }

  boolean is(ConnectionState expected) {
    return state.get() == expected;
  }

  /** True once a close was decided. */
  boolean isClosingOrClosed() {
    ConnectionState now = state.get();
    return now == ConnectionState.CLOSING || now == ConnectionState.CLOSED;
  }

  /**
   * Moves to {@code target}.
   *
   * @throws IllegalStateException if the edge is not allowed from the current state
   */
  void moveTo(ConnectionState target) {
    ConnectionState from = state.get();
    while (true) {
      if (!from.canMoveTo(target)) {
        throw new IllegalStateException("illegal transition " + from + " -> " + target);
      }
      if (state.compareAndSet(from, target)) {
        log.info("connection state connection={} from={} to={}", name, from, target);
        return;
      }
      from = state.get();
    }
  }

  /** Moves to {@code target} if allowed; false (and no change) otherwise. */
  boolean tryMoveTo(ConnectionState target) {
    try {
      moveTo(target);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
