package io.wafleet.simulator.phone;

import java.util.Objects;

/**
 * A scan in progress: the phone, the device it linked (unconfirmed), the serialized
 * {@code ADVDeviceIdentity} {@code D} and the {@code ADVSignedDeviceIdentityHMAC} wrapper sent in
 * pair-success (§6.4). Immutable; thread-safe.
 */
public record PendingLink(Phone phone, LinkedDevice device, byte[] deviceIdentityDetails,
    byte[] wrapper) {

  public PendingLink {
    Objects.requireNonNull(phone, "phone == null");
    Objects.requireNonNull(device, "device == null");
    deviceIdentityDetails = deviceIdentityDetails.clone();
    wrapper = wrapper.clone();
  }

  @Override
  public byte[] deviceIdentityDetails() {
    return deviceIdentityDetails.clone();
  }

  @Override
  public byte[] wrapper() {
    return wrapper.clone();
  }
}
