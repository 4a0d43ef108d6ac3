package io.wafleet.functions.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The shared admin secret. Comparison hashes both sides to SHA-256 first and then uses
 * {@link MessageDigest#isEqual} (constant time), so neither the content nor the length of the real
 * token leaks through timing. {@link #toString()} never prints it. Immutable; thread-safe.
 */
public final class AdminToken {

  public static final int MIN_LENGTH = 32;

  private final byte[] digest;
  private final byte[] secret;

  public AdminToken(String token) {
    Objects.requireNonNull(token, "token == null");
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("admin token shorter than " + MIN_LENGTH + " characters");
    }
    this.secret = token.getBytes(StandardCharsets.UTF_8);
    this.digest = sha256(secret);
  }

  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(presented.getBytes(StandardCharsets.UTF_8)));
  }

  /** Key material for signing view links; derived, so a link never contains the token itself. */
  byte[] signingKey() {
    return sha256(("wafleet-view-link:" + new String(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }
}
