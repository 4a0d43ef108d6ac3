package io.wafleet.functions.auth;

import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.auth.oauth2.TokenVerifier;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies Google-signed identity tokens (Cloud Scheduler, other services, {@code gcloud auth
 * print-identity-token}) with google-auth-library's {@link TokenVerifier}: signature against the
 * keys at the certificates location, issuer, audience and expiry; then the {@code email} claim must
 * be verified and in the allow-list. Tests point the certificates location at a local fake.
 * Thread-safe (the verifier caches keys).
 */
public final class GoogleIdTokens {

  public static final String ISSUER = "https://accounts.google.com";

  private final TokenVerifier verifier;
  private final Set<String> allowedEmails;

  public GoogleIdTokens(String certificatesUrl, String audience, Set<String> allowedEmails, Clock clock) {
    Objects.requireNonNull(certificatesUrl, "certificatesUrl == null");
    Objects.requireNonNull(audience, "audience == null");
    Objects.requireNonNull(clock, "clock == null");
    this.allowedEmails = Set.copyOf(allowedEmails);
    this.verifier = TokenVerifier.newBuilder()
        .setCertificatesLocation(certificatesUrl)
        .setAudience(audience)
        .setIssuer(ISSUER)
        .setClock(clock::millis)
        .build();
  }

  /** The outcome of a verification: the caller's email, or why the token was refused (safe to log). */
  public record Outcome(Optional<String> email, String refusal, boolean verified) {}

  public Outcome verify(String token) {
    JsonWebSignature jws;
    try {
      jws = verifier.verify(token);
    } catch (TokenVerifier.VerificationException | IllegalArgumentException e) {
      return new Outcome(Optional.empty(), "token did not verify", false);
    }
    Object email = jws.getPayload().get("email");
    Object emailVerified = jws.getPayload().get("email_verified");
    if (!(email instanceof String address) || !Boolean.TRUE.equals(emailVerified)) {
      return new Outcome(Optional.empty(), "token has no verified email", true);
    }
    if (!allowedEmails.contains(address)) {
      return new Outcome(Optional.of(address), "email is not allowed", true);
    }
    return new Outcome(Optional.of(address), null, true);
  }
}
