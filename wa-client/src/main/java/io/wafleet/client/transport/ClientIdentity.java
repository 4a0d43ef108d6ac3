package io.wafleet.client.transport;

import java.util.Objects;

/**
 * What the server learned from a ClientFinish (§2.2 step 4): the client's Noise static key, which
 * identifies the device at login (§3.3), and the serialized {@code ClientPayload} (§3), left for
 * the caller to parse. Immutable; thread-safe.
 */
public record ClientIdentity(byte[] staticKey, byte[] payload) {

  public ClientIdentity {
    Objects.requireNonNull(staticKey, "staticKey == null");
    Objects.requireNonNull(payload, "payload == null");
    staticKey = staticKey.clone();
    payload = payload.clone();
  }

  @Override
  public byte[] staticKey() {
    return staticKey.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
