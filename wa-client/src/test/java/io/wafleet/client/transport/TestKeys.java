package io.wafleet.client.transport;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Deterministic key pairs for handshake tests. */
final class TestKeys {

  static final KeyPair CLIENT_STATIC = fromSeed("client static");
  static final KeyPair CLIENT_EPHEMERAL = fromSeed("client ephemeral");
  static final KeyPair SERVER_STATIC = fromSeed("server static");
  static final KeyPair SERVER_EPHEMERAL = fromSeed("server ephemeral");

  private TestKeys() {}

  /** SHA-256 of the seed, clamped as X25519 wants it. */
  static KeyPair fromSeed(String seed) {
    try {
      byte[] key = MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8));
      key[0] &= (byte) 248;
      key[31] &= 127;
      key[31] |= 64;
      return Curve25519.keyPairFromPrivate(key);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
