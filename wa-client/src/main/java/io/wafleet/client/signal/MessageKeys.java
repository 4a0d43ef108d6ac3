package io.wafleet.client.signal;

import io.wafleet.client.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys for one message: {@code HKDF(seed, 32 zero bytes, "WhisperMessageKeys")} split into
 * AES key (32), MAC key (32) and IV (first 16 of the third block) (§10.2). Immutable.
 */
record MessageKeys(byte[] cipherKey, byte[] macKey, byte[] iv) {

  private static final byte[] INFO = "WhisperMessageKeys".getBytes(StandardCharsets.US_ASCII);

  static MessageKeys derive(byte[] seed) {
    byte[] okm = Hkdf.derive(seed, new byte[32], INFO, 96);
    return new MessageKeys(
        Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 64), Arrays.copyOfRange(okm, 64, 80));
  }
}
