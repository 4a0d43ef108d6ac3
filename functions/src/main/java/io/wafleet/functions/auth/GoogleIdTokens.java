package io.wafleet.functions.auth;

import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.api.client.json.webtoken.JsonWebToken;
import com.google.auth.oauth2.TokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies Google-signed identity tokens (Cloud Scheduler, other services, {@code gcloud auth
 * print-identity-token}). google-auth-library's {@link TokenVerifier} checks the signature against
 * the keys at the certificates location, the audience and a past {@code exp}; this class adds what
 * it leaves out: {@code exp} and {@code iat} are required, {@code iat} and {@code nbf} may not lie in
 * the future and {@code exp − iat} may not exceed {@link #MAX_LIFETIME} (each with {@link #SKEW}),
 * and the issuer is one of the two spellings Google documents ({@link #ISSUERS}). Then the
 * {@code email} claim must be verified and on the allow-list.
 *
 * <p>Keys rotate: a token whose {@code kid} the cached key set lacks makes the verifier fetch the
 * keys again (a fresh {@link TokenVerifier} has an empty cache), at most once per
 * {@link #REFETCH_INTERVAL}, so unknown-kid tokens cannot turn the API into a certificate fetcher.
 * Tests point the certificates location at a local fake. Thread-safe: the verifier and the time of
 * the last refetch are atomic references.
 */
public final class GoogleIdTokens {

  /** The issuer Google puts in ID tokens; both spellings occur (developers.google.com, "Verify the ID token"). */
  public static final String ISSUER = "https://accounts.google.com";
  public static final Set<String> ISSUERS = Set.of(ISSUER, "accounts.google.com");
  /** Google issues ID tokens valid for one hour. */
  public static final Duration MAX_LIFETIME = Duration.ofHours(1);
  /** Clock difference tolerated between Google and this instance. */
  public static final Duration SKEW = Duration.ofMinutes(1);
  public static final Duration REFETCH_INTERVAL = Duration.ofMinutes(1);
  private static final String UNKNOWN_KID = "Could not find PublicKey for provided keyId";

  private final String certificatesUrl;
  private final String audience;
  private final Set<String> allowedEmails;
  private final Clock clock;
  private final AtomicReference<TokenVerifier> verifier;
  private final AtomicReference<Instant> lastRefetch = new AtomicReference<>(Instant.MIN);

  public GoogleIdTokens(String certificatesUrl, String audience, Set<String> allowedEmails, Clock clock) {
    this.certificatesUrl = Objects.requireNonNull(certificatesUrl, "certificatesUrl == null");
    this.audience = Objects.requireNonNull(audience, "audience == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.allowedEmails = Set.copyOf(allowedEmails);
    this.verifier = new AtomicReference<>(newVerifier());
  }

  /** The outcome of a verification: the caller's email, or why the token was refused (safe to log). */
  public record Outcome(Optional<String> email, String refusal, boolean verified) {}

  public Outcome verify(String token) {
    JsonWebSignature jws;
    try {
      jws = verifySignature(token);
    } catch (TokenVerifier.VerificationException | IllegalArgumentException e) {
      return refused("token did not verify");
    }
    String timeProblem = timeProblem(jws.getPayload());
    if (timeProblem != null) {
      return refused(timeProblem);
    }
    if (!ISSUERS.contains(jws.getPayload().getIssuer())) {
      return refused("token has another issuer");
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

  private JsonWebSignature verifySignature(String token) throws TokenVerifier.VerificationException {
    TokenVerifier current = verifier.get();
    try {
      return current.verify(token);
    } catch (TokenVerifier.VerificationException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith(UNKNOWN_KID) || !mayRefetch()) {
        throw e;
      }
      TokenVerifier fresh = newVerifier();
      verifier.compareAndSet(current, fresh);
      return verifier.get().verify(token);
    }
  }

  /** True at most once per {@link #REFETCH_INTERVAL}; claims the slot when true. */
  private boolean mayRefetch() {
    Instant now = clock.instant();
    Instant last = lastRefetch.get();
    boolean due = last.equals(Instant.MIN) || !now.isBefore(last.plus(REFETCH_INTERVAL)) || now.isBefore(last);
    return due && lastRefetch.compareAndSet(last, now);
  }

  private String timeProblem(JsonWebToken.Payload payload) {
    Long exp = payload.getExpirationTimeSeconds();
    Long iat = payload.getIssuedAtTimeSeconds();
    if (exp == null || iat == null) {
      return "token lacks exp or iat";
    }
    long now = clock.instant().getEpochSecond();
    if (iat > now + SKEW.toSeconds()) {
      return "token is issued in the future";
    }
    Long nbf = payload.getNotBeforeTimeSeconds();
    if (nbf != null && nbf > now + SKEW.toSeconds()) {
      return "token is not valid yet";
    }
    if (exp - iat > MAX_LIFETIME.toSeconds() + SKEW.toSeconds()) {
      return "token lives longer than Google's one hour";
    }
    if (exp <= now - SKEW.toSeconds()) {
      return "token is expired";
    }
    return null;
  }

  private TokenVerifier newVerifier() {
    return TokenVerifier.newBuilder()
        .setCertificatesLocation(certificatesUrl)
        .setAudience(audience)
        .setClock(clock::millis)
        .build();
  }

  private static Outcome refused(String why) {
    return new Outcome(Optional.empty(), why, false);
  }
}
