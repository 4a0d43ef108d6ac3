package io.wafleet.simulator.phone;

import io.wafleet.simulator.phone.PreKeys.PublicSignedPreKey;
import java.util.Objects;

/**
 * What a registering companion told the server in its ClientPayload (§3.2), plus the Noise static
 * key of its connection (§2.1). Checked on scan against the QR (§6.4) and kept with the linked
 * device for login (§3.3). Immutable; thread-safe.
 */
public record Registration(int registrationId, byte[] identityKey, PublicSignedPreKey signedPreKey,
    byte[] noiseKey) {

  public Registration {
    identityKey = PreKeys.requireKey(identityKey, "identityKey");
    noiseKey = PreKeys.requireKey(noiseKey, "noiseKey");
    Objects.requireNonNull(signedPreKey, "signedPreKey == null");
  }

  @Override
  public byte[] identityKey() {
    return identityKey.clone();
  }

  @Override
  public byte[] noiseKey() {
    return noiseKey.clone();
  }
}
