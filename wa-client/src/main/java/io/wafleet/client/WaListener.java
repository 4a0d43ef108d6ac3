package io.wafleet.client;

import io.wafleet.client.event.WaEvent;

/**
 * Receives a client's events, in order, on the client's own event thread (never on a socket
 * thread, never holding a client lock). Implementations must be quick and must not block for
 * long; an exception thrown here is logged and swallowed. Calling {@code close()} or
 * {@code logout()} from here is allowed.
 */
@FunctionalInterface
public interface WaListener {

  void onEvent(WaEvent event);
}
