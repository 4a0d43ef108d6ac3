package io.wafleet.simulator.relay;

import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.Phone;
import java.util.Objects;

/**
 * One device of a simulated account (§5): the phone and a device id (0 = the phone itself). It has
 * two names, the PN device JID and the LID device JID; {@link #key()} is the one routing key.
 * Immutable; thread-safe.
 */
public record DeviceAddress(Phone phone, int deviceId) {

  public DeviceAddress {
    Objects.requireNonNull(phone, "phone == null");
    if (deviceId < 0) {
      throw new IllegalArgumentException("deviceId < 0");
    }
  }

  /** The routing key: {@code NUMBER:DEVICE}, the same for the PN and LID names. */
  public String key() {
    return phone.number() + ":" + deviceId;
  }

  /** {@code NUMBER[:DEVICE]@s.whatsapp.net} (device 0 written as the plain user, §5). */
  public Jid pn() {
    return Jid.of(phone.number(), deviceId, Jid.SERVER);
  }

  /** {@code LID[:DEVICE]@lid}. */
  public Jid lid() {
    return Jid.of(phone.lid().user(), deviceId, Jid.LID_SERVER);
  }

  /** The LID name when {@code lidForm}, else the PN name. */
  public Jid jid(boolean lidForm) {
    return lidForm ? lid() : pn();
  }

  /** The account's user JID in that form. */
  public Jid user(boolean lidForm) {
    return lidForm ? phone.lid() : phone.jid();
  }

  public boolean sameAccount(DeviceAddress other) {
    return phone == other.phone;
  }

  /** Masked for logs. */
  @Override
  public String toString() {
    return pn().masked();
  }
}
