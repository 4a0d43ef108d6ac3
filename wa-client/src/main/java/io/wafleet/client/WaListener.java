package io.wafleet.client;

import io.wafleet.client.event.WaEvent;

/**
 * Receives a client's events, one at a time and in order, on the connection's event executor
 * (a worker of the shared executor; never on a socket thread, never holding a client lock).
 * Implementations must be quick and must not block for long, since the workers are shared by
 * every client on that executor (pass your own larger one through the builder if you must); an exception thrown here is logged and swallowed. Calling {@code close()} or
 * {@code logout()} from here is allowed.
 */
@FunctionalInterface
public interface WaListener {

  void onEvent(WaEvent event);
}
