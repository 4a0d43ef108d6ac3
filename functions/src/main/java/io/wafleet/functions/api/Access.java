package io.wafleet.functions.api;

/** Who may call a route. {@link ApiFunction} enforces it before the handler runs. */
enum Access {
  /** X-Admin-Token or an allowed Google identity token; 401/403 otherwise. */
  AUTHENTICATED,
  /** Credentials are optional, but if sent they must verify; the handler decides what the anonymous caller sees. */
  OPTIONAL,
  /** Like AUTHENTICATED, or a valid signed {@code ?view=} link for this route's path. */
  VIEW_LINK
}
