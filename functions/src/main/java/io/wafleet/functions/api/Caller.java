package io.wafleet.functions.api;

import io.wafleet.functions.auth.Principal;
import io.wafleet.functions.http.ApiErrorCode;
import io.wafleet.functions.http.ApiException;
import java.util.Optional;

/** The verified caller of one request, if any. Immutable. */
record Caller(Optional<Principal> principal) {

  static Caller of(Principal principal) {
    return new Caller(Optional.of(principal));
  }

  static Caller anonymous() {
    return new Caller(Optional.empty());
  }

  boolean authenticated() {
    return principal.isPresent();
  }

  /** The principal, or 401 for an anonymous caller of a route that allows optional credentials. */
  Principal require() {
    return principal.orElseThrow(() -> new ApiException(ApiErrorCode.UNAUTHENTICATED,
        "this endpoint needs the admin token or a Google identity token"));
  }

  String logName() {
    return principal.map(p -> p.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + p.name()).orElse("anonymous");
  }
}
