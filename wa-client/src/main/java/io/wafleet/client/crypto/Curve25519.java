package io.wafleet.client.crypto;

import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;
import org.signal.libsignal.protocol.ecc.ECPublicKey;

/**
 * X25519 agreement and XEdDSA signatures over raw 32-byte keys, backed by libsignal-client's
 * primitives. XEdDSA signatures from libsignal interoperate with the curve25519-js signatures that
 * Baileys makes and checks (docs/protocol.md §10.1). Stateless; thread-safe.
 */
public final class Curve25519 {

  public static final int KEY_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;
  /** The type byte that Signal protobufs put before a public key (§10.1). */
  public static final byte DJB_TYPE = 0x05;

  private Curve25519() {}

  public static KeyPair generateKeyPair() {
    ECPrivateKey privateKey = ECPrivateKey.generate();
    return new KeyPair(privateKey.serialize(), privateKey.publicKey().getPublicKeyBytes());
  }

  /** The public key that belongs to a raw private key. */
  public static KeyPair keyPairFromPrivate(byte[] privateKey) {
    ECPrivateKey key = privateKey(privateKey);
    return new KeyPair(key.serialize(), key.publicKey().getPublicKeyBytes());
  }

  /** X25519(ourPrivate, theirPublic): the 32-byte shared secret. */
  public static byte[] agree(byte[] ourPrivateKey, byte[] theirPublicKey) {
    return privateKey(ourPrivateKey).calculateAgreement(publicKey(theirPublicKey));
  }

  /** XEdDSA signature (64 bytes) by a Curve25519 private key. */
  public static byte[] sign(byte[] privateKey, byte[] message) {
    return privateKey(privateKey).calculateSignature(message);
  }

  /** Checks an XEdDSA signature; false for any malformed key or signature, never an exception. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH || message == null) {
      return false;
    }
    try {
      return publicKey(publicKey).verifySignature(message, signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The 33-byte {@code 05 ‖ key} form used inside Signal protobufs. */
  public static byte[] withTypePrefix(byte[] rawPublicKey) {
    requireLength(rawPublicKey, "publicKey");
    byte[] out = new byte[KEY_LENGTH + 1];
    out[0] = DJB_TYPE;
    System.arraycopy(rawPublicKey, 0, out, 1, KEY_LENGTH);
    return out;
  }

  /** Accepts a raw 32-byte key or a 33-byte {@code 05}-prefixed one and returns the raw form. */
  public static byte[] withoutTypePrefix(byte[] publicKey) {
    if (publicKey != null && publicKey.length == KEY_LENGTH + 1 && publicKey[0] == DJB_TYPE) {
      byte[] out = new byte[KEY_LENGTH];
      System.arraycopy(publicKey, 1, out, 0, KEY_LENGTH);
      return out;
    }
    requireLength(publicKey, "publicKey");
    return publicKey.clone();
  }

  private static ECPrivateKey privateKey(byte[] raw) {
    requireLength(raw, "privateKey");
    try {
      return new ECPrivateKey(raw);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("invalid Curve25519 private key", e);
    }
  }

  private static ECPublicKey publicKey(byte[] raw) {
    byte[] key = withoutTypePrefix(raw);
    try {
      return ECPublicKey.fromPublicKeyBytes(key);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("invalid Curve25519 public key", e);
    }
  }

  private static void requireLength(byte[] key, String name) {
    if (key == null) {
      throw new IllegalArgumentException(name + " == null");
    }
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException(name + " length " + key.length + " != 32");
    }
  }
}
