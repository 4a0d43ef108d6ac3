package io.wafleet.simulator.phone;

import io.wafleet.simulator.phone.PhoneBookException.Reason;
import java.util.Base64;

/**
 * A QR string as the simulated phone scans it, parsed:
 * {@code ref,base64(noiseKey),base64(identityKey),base64(advSecret)} (§6.2).
 * Immutable; thread-safe. Never log it: the ref and the ADV secret are credentials.
 */
record ScannedQrCode(String ref, byte[] noiseKey, byte[] identityKey, byte[] advSecret) {

  static ScannedQrCode parse(String text) {
    if (text == null) {
      throw bad("qr is missing");
    }
    String[] parts = text.split(",", -1);
    if (parts.length != 4 || parts[0].isEmpty()) {
      throw bad("qr must have 4 comma-separated fields (§6.2)");
    }
    try {
      byte[] noise = Base64.getDecoder().decode(parts[1]);
      byte[] identity = Base64.getDecoder().decode(parts[2]);
      byte[] secret = Base64.getDecoder().decode(parts[3]);
      if (noise.length != 32 || identity.length != 32 || secret.length == 0) {
        throw bad("qr keys must be 32 bytes and the adv secret non-empty");
      }
      return new ScannedQrCode(parts[0], noise, identity, secret);
    } catch (IllegalArgumentException e) {
      throw bad("qr fields 2..4 must be base64");
    }
  }

  private static PhoneBookException bad(String message) {
    return new PhoneBookException(Reason.BAD_QR, message, "qr");
  }
}
