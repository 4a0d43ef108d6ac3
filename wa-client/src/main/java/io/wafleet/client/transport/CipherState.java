package io.wafleet.client.transport;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256-GCM key and its nonce counter (§2.1): IV = eight zero bytes and the 32-bit
 * big-endian counter; the 16-byte tag follows the ciphertext. The counter advances only on
 * success. Not thread-safe; owners synchronize.
 */
final class CipherState {

  private static final int IV_LENGTH = 12;
  private static final long MAX_COUNTER = 0xFFFF_FFFFL;

  private final SecretKeySpec key;
  private long counter;

  CipherState(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("key length " + key.length + " != 32");
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  long counter() {
    return counter;
  }

  byte[] encrypt(byte[] associatedData, byte[] plaintext) {
    try {
      byte[] out = cipher(Cipher.ENCRYPT_MODE, associatedData).doFinal(plaintext);
      counter++;
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption unavailable", e);
    }
  }

  byte[] decrypt(byte[] associatedData, byte[] ciphertext) throws NoiseException {
    if (ciphertext.length < TransportProtocol.GCM_TAG_LENGTH) {
      throw new NoiseException("ciphertext of " + ciphertext.length + " bytes is shorter than the tag");
    }
    try {
      byte[] out = cipher(Cipher.DECRYPT_MODE, associatedData).doFinal(ciphertext);
      counter++;
      return out;
    } catch (AEADBadTagException e) {
      throw new NoiseException("AES-GCM authentication failed at counter " + counter, e);
    } catch (GeneralSecurityException e) {
      throw new NoiseException("AES-GCM decryption failed at counter " + counter, e);
    }
  }

  private Cipher cipher(int mode, byte[] associatedData) throws GeneralSecurityException {
    if (counter > MAX_COUNTER) {
      throw new IllegalStateException("nonce counter exhausted; reconnect");
    }
    byte[] iv = new byte[IV_LENGTH];
    iv[8] = (byte) (counter >>> 24);
    iv[9] = (byte) (counter >>> 16);
    iv[10] = (byte) (counter >>> 8);
    iv[11] = (byte) counter;
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TransportProtocol.GCM_TAG_LENGTH * 8, iv));
    if (associatedData.length > 0) {
      cipher.updateAAD(associatedData);
    }
    return cipher;
  }
}
