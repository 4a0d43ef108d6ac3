package io.wafleet.simulator.phone;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Signal key records the simulator stores (§7.2 upload, §8.5 bundles, §10.1). Public-only
 * forms are what a companion uploads; {@link DeviceKeys} holds private keys too, for a simulated
 * phone's device 0. Immutable values; thread-safe.
 */
public final class PreKeys {

  /** Pre-key ids and signed pre-key ids are 3 bytes on the wire (§7.2). */
  public static final int MAX_KEY_ID = 0xFFFFFF;

  private PreKeys() {}

  /** A one-time pre-key as uploaded: id and 32-byte public key. */
  public record PublicPreKey(int id, byte[] publicKey) {
    public PublicPreKey {
      checkId(id);
      publicKey = requireKey(publicKey, "publicKey");
    }
  }

  /** A signed pre-key as registered or uploaded: id, public key and the identity's signature. */
  public record PublicSignedPreKey(int id, byte[] publicKey, byte[] signature) {
    public PublicSignedPreKey {
      checkId(id);
      publicKey = requireKey(publicKey, "publicKey");
      Objects.requireNonNull(signature, "signature == null");
      signature = signature.clone();
    }

    /** True when {@code identityKey} signed {@code 05 ‖ publicKey} (§3.2, §10.1). */
    public boolean verifiedBy(byte[] identityKey) {
      return Curve25519.verify(identityKey, Curve25519.withTypePrefix(publicKey), signature);
    }
  }

  /** A one-time pre-key with its private half. */
  public record PreKey(int id, KeyPair keyPair) {
    public PublicPreKey toPublic() {
      return new PublicPreKey(id, keyPair.publicKey());
    }
  }

  /** A signed pre-key with its private half. */
  public record SignedPreKey(int id, KeyPair keyPair, byte[] signature) {
    public PublicSignedPreKey toPublic() {
      return new PublicSignedPreKey(id, keyPair.publicKey(), signature);
    }
  }

  /**
   * Device 0's Signal keys (§11 item 5, §13): identity, registration id, a signed pre-key and
   * one-time pre-keys, kept so that a later issue can serve bundles for the phone.
   */
  public record DeviceKeys(KeyPair identity, int registrationId, SignedPreKey signedPreKey,
      List<PreKey> preKeys) {
    public DeviceKeys {
      preKeys = List.copyOf(preKeys);
    }

    /** Fresh keys: a 14-bit registration id (§10.1), signed pre-key 1 and {@code count} pre-keys. */
    public static DeviceKeys generate(int registrationId, int count) {
      KeyPair identity = Curve25519.generateKeyPair();
      KeyPair signed = Curve25519.generateKeyPair();
      byte[] signature = Curve25519.sign(identity.privateKey(),
          Curve25519.withTypePrefix(signed.publicKey()));
      List<PreKey> preKeys = new ArrayList<>(count);
      for (int id = 1; id <= count; id++) {
        preKeys.add(new PreKey(id, Curve25519.generateKeyPair()));
      }
      return new DeviceKeys(identity, registrationId & 0x3FFF, new SignedPreKey(1, signed, signature),
          preKeys);
    }
  }

  static void checkId(int id) {
    if (id < 0 || id > MAX_KEY_ID) {
      throw new IllegalArgumentException("key id out of 0..16777215: " + id);
    }
  }

  static byte[] requireKey(byte[] key, String name) {
    Objects.requireNonNull(key, name + " == null");
    if (key.length != Curve25519.KEY_LENGTH) {
      throw new IllegalArgumentException(name + " has " + key.length + " bytes, expected 32");
    }
    return key.clone();
  }
}
