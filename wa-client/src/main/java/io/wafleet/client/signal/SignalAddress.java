package io.wafleet.client.signal;

import java.util.Objects;

/**
 * One remote device as the Signal layer keys it: the user part of the JID (phone number or LID)
 * and the device id. Immutable; thread-safe.
 */
public record SignalAddress(String name, int deviceId) {

  public SignalAddress {
    Objects.requireNonNull(name, "name == null");
    if (name.isEmpty() || name.indexOf('.') >= 0) {
      throw new IllegalArgumentException("name must be non-empty and contain no '.'");
    }
    if (deviceId < 0) {
      throw new IllegalArgumentException("deviceId < 0");
    }
  }

  /** The libsignal-node encoding, {@code name.device}, used as the session key by Baileys. */
  @Override
  public String toString() {
    return name + "." + deviceId;
  }
}
