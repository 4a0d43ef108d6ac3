package io.wafleet.functions.auth;

import java.util.Objects;

/** Who made a request, once verified. {@code name} is safe to log (never a token). Immutable. */
public record Principal(Kind kind, String name) {

  /** How the caller proved who it is. */
  public enum Kind {
    /** The shared admin token in X-Admin-Token. */
    ADMIN_TOKEN,
    /** A Google-signed identity token of an allowed service account. */
    ID_TOKEN,
    /** A short-lived signed dashboard link (read-only, one page). */
    VIEW_LINK
  }

  public Principal {
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(name, "name == null");
  }
}
