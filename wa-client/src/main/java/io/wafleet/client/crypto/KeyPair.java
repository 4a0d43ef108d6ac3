package io.wafleet.client.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Curve25519 key pair in WhatsApp's raw form: 32-byte private key and 32-byte public key, with no
 * {@code 05} type prefix (docs/protocol.md §10.1). Immutable; thread-safe.
 */
public record KeyPair(byte[] privateKey, byte[] publicKey) {

  public KeyPair {
    Objects.requireNonNull(privateKey, "privateKey == null");
    Objects.requireNonNull(publicKey, "publicKey == null");
    if (privateKey.length != Curve25519.KEY_LENGTH) {
      throw new IllegalArgumentException("privateKey length " + privateKey.length + " != 32");
    }
    if (publicKey.length != Curve25519.KEY_LENGTH) {
      throw new IllegalArgumentException("publicKey length " + publicKey.length + " != 32");
    }
    privateKey = privateKey.clone();
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyPair that
        && Arrays.equals(privateKey, that.privateKey)
        && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  /** Never prints key material. */
  @Override
  public String toString() {
    return "KeyPair[public=" + Hex.encode(publicKey).substring(0, 8) + "…]";
  }
}
