package io.wafleet.simulator.phone;

import java.util.Objects;

/**
 * A companion's {@code companion_finish} (§6.7 step 4) as the phone receives it: the iq id to
 * answer, the wrapped key bundle, the companion's identity key and the ref it names. Immutable.
 */
public record LinkCodeFinish(String iqId, byte[] wrappedBundle, byte[] companionIdentity,
    String ref) {

  public LinkCodeFinish {
    Objects.requireNonNull(iqId, "iqId == null");
    wrappedBundle = wrappedBundle == null ? new byte[0] : wrappedBundle.clone();
    companionIdentity = companionIdentity == null ? new byte[0] : companionIdentity.clone();
    ref = ref == null ? "" : ref;
  }

  @Override
  public byte[] wrappedBundle() {
    return wrappedBundle.clone();
  }

  @Override
  public byte[] companionIdentity() {
    return companionIdentity.clone();
  }
}
