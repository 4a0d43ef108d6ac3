package io.wafleet.functions.http;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The Content-Security-Policy of every HTML page: nothing loads by default; scripts and style
 * elements run only with the response's nonce; style attributes (the dashboard's status colours)
 * are allowed; images from this origin or blob: (the QR page draws the PNG it fetched); requests
 * only to this origin; no framing ({@code frame-ancestors 'none'}), no base URI, no form posts.
 * Thread-safe.
 */
public final class ContentSecurityPolicy {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ContentSecurityPolicy() {}

  /** A fresh nonce for one response: 128 random bits, base64. */
  public static String newNonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static String forPage(String nonce) {
    if (nonce == null || !nonce.matches("[A-Za-z0-9+/=]{16,64}")) {
      throw new IllegalArgumentException("nonce must be base64 from newNonce()");
    }
    return "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce + "'; "
        + "style-src-attr 'unsafe-inline'; img-src 'self' blob:; connect-src 'self'; base-uri 'none'; "
        + "form-action 'none'; frame-ancestors 'none'";
  }
}
