package io.wafleet.functions.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed links to one read-only page (the dashboard), for a browser or a headless
 * screenshot that cannot send headers. A link token is {@code <expiresEpochSeconds>.<HMAC-SHA256>}
 * over the page path and the expiry, keyed from the admin token; rotating the admin token revokes
 * every link. Thread-safe.
 */
public final class ViewLinks {

  public static final Duration TTL = Duration.ofMinutes(5);

  private final byte[] key;
  private final Clock clock;

  public ViewLinks(AdminToken adminToken, Clock clock) {
    this.key = Objects.requireNonNull(adminToken, "adminToken == null").signingKey();
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** A token for {@code path}, valid for {@link #TTL}. */
  public Issued issue(String path) {
    Instant expiresAt = clock.instant().plus(TTL).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String token = expiresAt.getEpochSecond() + "." + sign(path, expiresAt.getEpochSecond());
    return new Issued(token, expiresAt);
  }

  /** A freshly issued link token and when it stops working. */
  public record Issued(String token, Instant expiresAt) {}

  /** True when {@code token} was issued for {@code path} and has not expired. */
  public boolean verify(String token, String path) {
    if (token == null) {
      return false;
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot > 12) {
      return false;
    }
    long expires;
    try {
      expires = Long.parseLong(token.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    byte[] expected = sign(path, expires).getBytes(StandardCharsets.US_ASCII);
    byte[] presented = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    boolean signed = MessageDigest.isEqual(expected, presented);
    return signed && clock.instant().getEpochSecond() < expires;
  }

  private String sign(String path, long expiresEpochSeconds) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] tag = mac.doFinal((path + "\n" + expiresEpochSeconds).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
    }
  }
}
