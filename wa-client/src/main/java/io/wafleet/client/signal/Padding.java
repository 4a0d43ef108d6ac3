package io.wafleet.client.signal;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * WhatsApp's plaintext padding (protocol §8.6): 1–16 bytes, each equal to the pad length, appended
 * to the serialized {@code Message} before Signal encryption. Stateless; thread-safe (the
 * {@link Random} passed in must be safe for the caller's use).
 */
public final class Padding {

  static final int MAX_PADDING = 16;

  private Padding() {}

  /** Appends {@code (random & 0x0F) + 1} bytes of that value, as Baileys' writeRandomPadMax16. */
  public static byte[] pad(byte[] plaintext, Random random) {
    Objects.requireNonNull(plaintext, "plaintext == null");
    Objects.requireNonNull(random, "random == null");
    int length = (random.nextInt() & 0x0F) + 1;
    byte[] out = Arrays.copyOf(plaintext, plaintext.length + length);
    Arrays.fill(out, plaintext.length, out.length, (byte) length);
    return out;
  }

  /**
   * Drops as many bytes as the last byte says. Like Baileys (§9.2) it does not check the dropped
   * bytes themselves, only that the length is 1..16 and fits.
   */
  public static byte[] unpad(byte[] padded) throws InvalidMessageException {
    if (padded == null || padded.length == 0) {
      throw new InvalidMessageException("empty padded plaintext");
    }
    int length = padded[padded.length - 1] & 0xFF;
    if (length < 1 || length > MAX_PADDING || length > padded.length) {
      throw new InvalidMessageException("invalid padding length " + length);
    }
    return Arrays.copyOf(padded, padded.length - length);
  }
}
