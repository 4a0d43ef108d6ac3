package io.wafleet.client.internal;

import io.wafleet.client.event.WaEvent;

/** Hands an event to the application's listener (never runs the listener on the caller's thread). */
public interface EventEmitter {

  void emit(WaEvent event);
}
