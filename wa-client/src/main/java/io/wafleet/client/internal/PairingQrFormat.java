package io.wafleet.client.internal;

import io.wafleet.client.auth.Credentials;
import java.util.Base64;

/** The QR string (§6.2). Stateless. */
final class PairingQrFormat {

  private PairingQrFormat() {
  }

  /** {@code ref,base64(noise pub),base64(identity pub),base64(adv secret)}, standard base64. */
  static String format(String ref, Credentials credentials) {
    Base64.Encoder b64 = Base64.getEncoder();
    return ref + "," + b64.encodeToString(credentials.noiseKey().publicKey())
        + "," + b64.encodeToString(credentials.signedIdentityKey().publicKey())
        + "," + b64.encodeToString(credentials.advSecretKey());
  }
}
