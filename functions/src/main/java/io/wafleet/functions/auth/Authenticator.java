package io.wafleet.functions.auth;

import io.wafleet.functions.http.ApiErrorCode;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.Exchange;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides who a request comes from: the admin token in {@code X-Admin-Token}, or a Google identity
 * token in {@code Authorization: Bearer}, when identity tokens are configured. A missing or wrong
 * credential is 401; a valid identity token of an email not on the allow-list is 403. Never logs or
 * echoes a token. Thread-safe.
 */
public final class Authenticator {

  public static final String ADMIN_HEADER = "X-Admin-Token";

  private final AdminToken adminToken;
  private final Optional<GoogleIdTokens> idTokens;

  public Authenticator(AdminToken adminToken, Optional<GoogleIdTokens> idTokens) {
    this.adminToken = Objects.requireNonNull(adminToken, "adminToken == null");
    this.idTokens = Objects.requireNonNull(idTokens, "idTokens == null");
  }

  /** The verified caller, or an {@link ApiException} (401/403). */
  public Principal require(Exchange exchange) {
    Optional<String> admin = exchange.header(ADMIN_HEADER);
    if (admin.isPresent()) {
      if (adminToken.matches(admin.get())) {
        return new Principal(Principal.Kind.ADMIN_TOKEN, "admin");
      }
      throw new ApiException(ApiErrorCode.UNAUTHENTICATED, "the admin token is not valid");
    }
    Optional<String> bearer = exchange.header("Authorization")
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).trim());
    if (bearer.isEmpty()) {
      throw new ApiException(ApiErrorCode.UNAUTHENTICATED,
          "send the admin token in " + ADMIN_HEADER + " or a Google identity token as Authorization: Bearer");
    }
    if (idTokens.isEmpty()) {
      throw new ApiException(ApiErrorCode.UNAUTHENTICATED, "identity tokens are not enabled on this deployment");
    }
    GoogleIdTokens.Outcome outcome = idTokens.get().verify(bearer.get());
    if (!outcome.verified()) {
      throw new ApiException(ApiErrorCode.UNAUTHENTICATED, "the identity token is not valid");
    }
    if (outcome.refusal() != null) {
      throw new ApiException(ApiErrorCode.FORBIDDEN, "this identity is not allowed: " + outcome.refusal());
    }
    return new Principal(Principal.Kind.ID_TOKEN, outcome.email().orElseThrow());
  }

  /** Like {@link #require} but empty when no credential was sent at all (health's bare status). */
  public Optional<Principal> optional(Exchange exchange) {
    if (exchange.header(ADMIN_HEADER).isEmpty() && exchange.header("Authorization").isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(require(exchange));
  }
}
