package io.wafleet.client.transport;

import io.wafleet.client.crypto.Hkdf;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Noise's SymmetricState: the handshake hash h, the chaining key ck and the current cipher
 * (§2.1). One cipher counter serves both directions during the handshake, which is why the
 * client's static key is encrypted at nonce 1 (§2.2). Not thread-safe; owned by one handshake.
 */
final class SymmetricState {

  private static final byte[] EMPTY = new byte[0];

  private byte[] h;
  private byte[] ck;
  private CipherState cipher;

  SymmetricState(byte[] protocolName, byte[] prologue) {
    // §2.1: a 32-byte name is used as is; only other lengths are hashed.
    h = protocolName.length == 32 ? protocolName.clone() : sha256(protocolName);
    ck = h.clone();
    mixHash(prologue);
  }

  void mixHash(byte[] data) {
    h = sha256(h, data);
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[] out = Hkdf.derive(inputKeyMaterial, ck, EMPTY, 64);
    ck = Arrays.copyOfRange(out, 0, 32);
    cipher = new CipherState(Arrays.copyOfRange(out, 32, 64));
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = requireCipher().encrypt(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
    byte[] plaintext = requireCipher().decrypt(h, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  /** §2.3: the first 32 bytes are the client→server key, the last 32 the server→client key. */
  byte[][] split() {
    byte[] out = Hkdf.derive(EMPTY, ck, EMPTY, 64);
    return new byte[][] {Arrays.copyOfRange(out, 0, 32), Arrays.copyOfRange(out, 32, 64)};
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  private CipherState requireCipher() {
    if (cipher == null) {
      throw new IllegalStateException("no key mixed in yet");
    }
    return cipher;
  }

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
