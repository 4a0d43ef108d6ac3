package io.wafleet.simulator.phone;

import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.PreKeys.PublicPreKey;
import io.wafleet.simulator.phone.PreKeys.PublicSignedPreKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A companion device linked to a simulated phone (§6.4): its device JID and LID, the registration
 * it paired with (Noise static key, identity, registration id), the signed pre-key and one-time
 * pre-keys it uploaded (§7.2), and whether its {@code pair-device-sign} was verified (§6.5).
 * Immutable; a change makes a new value ({@code with*}). Thread-safe.
 */
public record LinkedDevice(Jid jid, Jid lid, Registration registration, int keyIndex,
    PublicSignedPreKey signedPreKey, List<PublicPreKey> preKeys, boolean confirmed,
    Instant linkedAt) {

  public LinkedDevice {
    Objects.requireNonNull(jid, "jid == null");
    Objects.requireNonNull(lid, "lid == null");
    Objects.requireNonNull(registration, "registration == null");
    Objects.requireNonNull(signedPreKey, "signedPreKey == null");
    Objects.requireNonNull(linkedAt, "linkedAt == null");
    preKeys = List.copyOf(preKeys);
  }

  public int deviceId() {
    return jid.deviceId();
  }

  public LinkedDevice withConfirmed() {
    return new LinkedDevice(jid, lid, registration, keyIndex, signedPreKey, preKeys, true, linkedAt);
  }

  /** Adds uploaded pre-keys (an id already held is replaced) and the current signed pre-key. */
  public LinkedDevice withUpload(PublicSignedPreKey signed, List<PublicPreKey> uploaded) {
    java.util.Map<Integer, PublicPreKey> byId = new java.util.TreeMap<>();
    preKeys.forEach(key -> byId.put(key.id(), key));
    uploaded.forEach(key -> byId.put(key.id(), key));
    return new LinkedDevice(jid, lid, registration, keyIndex, signed == null ? signedPreKey : signed,
        List.copyOf(byId.values()), confirmed, linkedAt);
  }

  /** Without the one-time pre-key of that id (handed out once, §8.5). */
  public LinkedDevice withoutPreKey(int keyId) {
    return new LinkedDevice(jid, lid, registration, keyIndex, signedPreKey,
        preKeys.stream().filter(key -> key.id() != keyId).toList(), confirmed, linkedAt);
  }
}
