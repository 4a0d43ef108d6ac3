package io.wafleet.client.event;

/**
 * Marks terminal events after which reconnecting with the same credentials cannot succeed: the
 * device must be paired again.
 */
public interface PermanentDisconnect {
}
