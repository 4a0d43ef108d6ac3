package io.wafleet.simulator.phone;

import io.wafleet.client.Jid;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.simulator.phone.PreKeys.DeviceKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A simulated primary phone (§11 item 5): phone number, LID, account identity key pair (signs ADV
 * device identities, §6.4), device 0's Signal keys, and the companions linked to it.
 *
 * <p>Thread-safe: device changes are synchronized on this phone; no lock is held while calling out.
 */
public final class Phone {

  /** Device 99 is reserved for hosted devices (§5); companions use 1..98. */
  static final int MAX_COMPANION_ID = 98;

  private final String number;
  private final String lidUser;
  private final KeyPair accountKey;
  private final DeviceKeys primaryKeys;
  private final Map<Integer, LinkedDevice> devices = new TreeMap<>();
  private int lastDeviceId;

  Phone(String number, String lidUser, KeyPair accountKey, DeviceKeys primaryKeys) {
    this.number = number;
    this.lidUser = lidUser;
    this.accountKey = accountKey;
    this.primaryKeys = primaryKeys;
  }

  /** The phone number, digits only, e.g. {@code 40700000001}. */
  public String number() {
    return number;
  }

  /** {@code NUMBER@s.whatsapp.net}. */
  public Jid jid() {
    return Jid.of(number, Jid.SERVER);
  }

  /** {@code LIDUSER@lid} (§5, §13). */
  public Jid lid() {
    return Jid.of(lidUser, Jid.LID_SERVER);
  }

  /** The account identity key pair; signs device identities (§6.4). */
  public KeyPair accountKey() {
    return accountKey;
  }

  /** Device 0's Signal keys. */
  public DeviceKeys primaryKeys() {
    return primaryKeys;
  }

  /** Links a new companion (unconfirmed until its pair-device-sign is verified, §6.5). */
  synchronized LinkedDevice link(Registration registration, Instant now) {
    int deviceId = nextDeviceId();
    LinkedDevice device = new LinkedDevice(Jid.of(number, deviceId, Jid.SERVER),
        Jid.of(lidUser, deviceId, Jid.LID_SERVER), registration, deviceId,
        registration.signedPreKey(), List.of(), false, now);
    devices.put(deviceId, device);
    return device;
  }

  private int nextDeviceId() {
    for (int attempt = 0; attempt < MAX_COMPANION_ID; attempt++) {
      lastDeviceId = lastDeviceId % MAX_COMPANION_ID + 1;
      if (!devices.containsKey(lastDeviceId)) {
        return lastDeviceId;
      }
    }
    throw new IllegalStateException("phone " + jid().masked() + " has no free device id");
  }

  public synchronized Optional<LinkedDevice> device(int deviceId) {
    return Optional.ofNullable(devices.get(deviceId));
  }

  public synchronized List<LinkedDevice> devices() {
    return List.copyOf(devices.values());
  }

  /** Replaces the stored device, if it is still linked; returns the stored value. */
  synchronized Optional<LinkedDevice> update(int deviceId,
      java.util.function.UnaryOperator<LinkedDevice> change) {
    return Optional.ofNullable(devices.computeIfPresent(deviceId, (id, old) -> change.apply(old)));
  }

  synchronized Optional<LinkedDevice> unlink(int deviceId) {
    return Optional.ofNullable(devices.remove(deviceId));
  }
}
