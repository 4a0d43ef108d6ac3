package io.wafleet.client.signal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-CBC with PKCS#7 padding, the message cipher of §10.2. Stateless; thread-safe. */
final class AesCbc {

  private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";

  private AesCbc() {}

  static byte[] encrypt(MessageKeys keys, byte[] plaintext) {
    try {
      return cipher(Cipher.ENCRYPT_MODE, keys).doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CBC unavailable", e);
    }
  }

  static byte[] decrypt(MessageKeys keys, byte[] ciphertext) throws InvalidMessageException {
    try {
      return cipher(Cipher.DECRYPT_MODE, keys).doFinal(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new InvalidMessageException("ciphertext does not decrypt", e);
    }
  }

  private static Cipher cipher(int mode, MessageKeys keys) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, new SecretKeySpec(keys.cipherKey(), "AES"), new IvParameterSpec(keys.iv()));
    return cipher;
  }
}
