package io.wafleet.simulator.phone;

import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.PreKeys.DeviceKeys;
import io.wafleet.simulator.phone.PreKeys.PreKey;
import io.wafleet.simulator.phone.PreKeys.PublicPreKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
  private final Deque<PreKey> primaryPreKeysLeft;
  private int lastDeviceId;
  /** The account's display name ({@code notify} on its messages, §9.1); null when not set. */
  private volatile String pushName;

  /** A one-time pre-key just handed out (§8.5) and how many the device has left after it. */
  public record TakenPreKey(PublicPreKey key, int remaining) {}

  Phone(String number, String lidUser, KeyPair accountKey, DeviceKeys primaryKeys) {
    this.number = number;
    this.lidUser = lidUser;
    this.accountKey = accountKey;
    this.primaryKeys = primaryKeys;
    this.primaryPreKeysLeft = new ArrayDeque<>(primaryKeys.preKeys());
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

  /** The push name others see on this account's messages (§9.1 {@code notify}), or null. */
  public String pushName() {
    return pushName;
  }

  /** Sets (null: clears) the push name; the admin API checks it first. */
  public void pushName(String value) {
    this.pushName = value;
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

  /**
   * The devices a contact may address (§8.3): device 0 (this phone) and every companion whose
   * pair-device-sign was verified, in id order.
   */
  public synchronized List<Integer> activeDeviceIds() {
    List<Integer> ids = new ArrayList<>();
    ids.add(0);
    devices.values().stream().filter(LinkedDevice::confirmed).forEach(d -> ids.add(d.deviceId()));
    return ids;
  }

  /** True for device 0 and for a confirmed companion. */
  public synchronized boolean isActive(int deviceId) {
    LinkedDevice device = devices.get(deviceId);
    return deviceId == 0 || device != null && device.confirmed();
  }

  /**
   * Hands out one one-time pre-key of that device once (§8.5): device 0's from the phone's own
   * keys, a companion's from its upload; empty when none are left (or no such device).
   */
  public synchronized Optional<TakenPreKey> takePreKey(int deviceId) {
    if (deviceId == 0) {
      PreKey key = primaryPreKeysLeft.pollFirst();
      return key == null ? Optional.empty()
          : Optional.of(new TakenPreKey(key.toPublic(), primaryPreKeysLeft.size()));
    }
    LinkedDevice device = devices.get(deviceId);
    if (device == null || device.preKeys().isEmpty()) {
      return Optional.empty();
    }
    PublicPreKey key = device.preKeys().get(0);
    LinkedDevice rest = device.withoutPreKey(key.id());
    devices.put(deviceId, rest);
    return Optional.of(new TakenPreKey(key, rest.preKeys().size()));
  }

  /** How many one-time pre-keys the server still holds for that device. */
  public synchronized int preKeysLeft(int deviceId) {
    if (deviceId == 0) {
      return primaryPreKeysLeft.size();
    }
    LinkedDevice device = devices.get(deviceId);
    return device == null ? 0 : device.preKeys().size();
  }
}
