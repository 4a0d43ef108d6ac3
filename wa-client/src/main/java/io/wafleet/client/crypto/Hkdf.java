package io.wafleet.client.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869). Written on javax.crypto rather than libsignal's native HKDF so that the
 * Noise handshake and the ratchet run without a JNI call per step. Stateless; thread-safe.
 */
public final class Hkdf {

  private static final int HASH_LENGTH = 32;
  private static final byte[] ZERO_SALT = new byte[HASH_LENGTH];

  private Hkdf() {}

  /** Extract then expand; a null or empty salt means 32 zero bytes, as RFC 5869 says. */
  public static byte[] derive(byte[] inputKeyMaterial, byte[] salt, byte[] info, int length) {
    if (length < 0 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("length out of range: " + length);
    }
    byte[] prk = hmacSha256(salt == null || salt.length == 0 ? ZERO_SALT : salt, inputKeyMaterial);
    return expand(prk, info == null ? new byte[0] : info, length);
  }

  public static byte[] hmacSha256(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] expand(byte[] prk, byte[] info, int length) {
    byte[] out = new byte[length];
    byte[] previous = new byte[0];
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      previous = hmacSha256(prk, previous, info, new byte[] {(byte) counter});
      int take = Math.min(previous.length, length - written);
      System.arraycopy(previous, 0, out, written, take);
      written += take;
    }
    return out;
  }
}
