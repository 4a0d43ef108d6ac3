package io.wafleet.client.auth;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import java.util.Arrays;
import java.util.Objects;

/**
 * Our signed pre-key: id (24 bits), key pair, and the identity key's XEdDSA signature over
 * {@code 05 ‖ public} (§3.2, §10.1). Immutable.
 */
public record SignedPreKey(int id, KeyPair keyPair, byte[] signature) {

  public SignedPreKey {
    if (id <= 0 || id > 0xFFFFFF) {
      throw new IllegalArgumentException("id out of range: " + id);
    }
    Objects.requireNonNull(keyPair, "keyPair == null");
    Objects.requireNonNull(signature, "signature == null");
    if (signature.length != Curve25519.SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("signature length " + signature.length + " != 64");
    }
    signature = signature.clone();
  }

  /** A new signed pre-key with that id, signed by {@code identity}. */
  public static SignedPreKey generate(int id, KeyPair identity) {
    KeyPair keyPair = Curve25519.generateKeyPair();
    byte[] signature = Curve25519.sign(identity.privateKey(),
        Curve25519.withTypePrefix(keyPair.publicKey()));
    return new SignedPreKey(id, keyPair, signature);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedPreKey that && id == that.id && keyPair.equals(that.keyPair)
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, keyPair);
  }

  @Override
  public String toString() {
    return "SignedPreKey[id=" + id + "]";
  }
}
