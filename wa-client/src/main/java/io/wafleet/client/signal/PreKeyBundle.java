package io.wafleet.client.signal;

import io.wafleet.client.crypto.Curve25519;
import java.util.Arrays;
import java.util.Objects;

/**
 * A remote device's published keys, as the server returns them to a key fetch (protocol §8.5).
 * Public keys may be given raw (32 bytes) or {@code 05}-prefixed (33); they are kept raw.
 * {@code preKeyId} and {@code preKeyPublic} are both null when the server had no one-time pre-key
 * left. Immutable; thread-safe.
 */
public record PreKeyBundle(
    int registrationId,
    int deviceId,
    Integer preKeyId,
    byte[] preKeyPublic,
    int signedPreKeyId,
    byte[] signedPreKeyPublic,
    byte[] signedPreKeySignature,
    byte[] identityKey) {

  public PreKeyBundle {
    if ((preKeyId == null) != (preKeyPublic == null)) {
      throw new IllegalArgumentException("preKeyId and preKeyPublic must both be set or both null");
    }
    // libsignal-node treats pre-key id 0 as "no pre-key" (session_cipher.js encrypt), so 0 would
    // desynchronise the two sides' X3DH secrets.
    if (preKeyId != null && preKeyId <= 0) {
      throw new IllegalArgumentException("preKeyId <= 0");
    }
    Objects.requireNonNull(signedPreKeySignature, "signedPreKeySignature == null");
    preKeyPublic = preKeyPublic == null ? null : Curve25519.withoutTypePrefix(preKeyPublic);
    signedPreKeyPublic = Curve25519.withoutTypePrefix(
        Objects.requireNonNull(signedPreKeyPublic, "signedPreKeyPublic == null"));
    signedPreKeySignature = signedPreKeySignature.clone();
    identityKey = Curve25519.withoutTypePrefix(Objects.requireNonNull(identityKey, "identityKey == null"));
  }

  @Override
  public byte[] preKeyPublic() {
    return preKeyPublic == null ? null : preKeyPublic.clone();
  }

  @Override
  public byte[] signedPreKeyPublic() {
    return signedPreKeyPublic.clone();
  }

  @Override
  public byte[] signedPreKeySignature() {
    return signedPreKeySignature.clone();
  }

  @Override
  public byte[] identityKey() {
    return identityKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PreKeyBundle that
        && registrationId == that.registrationId
        && deviceId == that.deviceId
        && Objects.equals(preKeyId, that.preKeyId)
        && Arrays.equals(preKeyPublic, that.preKeyPublic)
        && signedPreKeyId == that.signedPreKeyId
        && Arrays.equals(signedPreKeyPublic, that.signedPreKeyPublic)
        && Arrays.equals(signedPreKeySignature, that.signedPreKeySignature)
        && Arrays.equals(identityKey, that.identityKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registrationId, deviceId, preKeyId, signedPreKeyId, Arrays.hashCode(identityKey));
  }

  @Override
  public String toString() {
    return "PreKeyBundle[registrationId=" + registrationId + ", deviceId=" + deviceId
        + ", preKeyId=" + preKeyId + ", signedPreKeyId=" + signedPreKeyId + "]";
  }
}
