package io.wafleet.connector.auth;

import java.util.Objects;

/**
 * A stored session exists, or may exist, but could not be used: Firestore did not answer, or what it
 * returned does not decrypt or parse. Never the same as "no session" (CONTRIBUTING.md: a storage
 * failure is never "not found"): the supervisor retries with backoff and reports it; it never pairs
 * a new device because of it.
 */
public final class SessionUnavailableException extends RuntimeException {

  /** What went wrong; each maps to one close reason and one operator action (docs/runbook.md). */
  public enum Kind {
    /** Firestore could not be read or written (network, quota, outage). Transient. */
    STORE_UNREACHABLE,
    /** A blob did not decrypt: a key id missing from WAFLEET_SESSION_KEYS, or a damaged blob. */
    UNDECRYPTABLE,
    /** The credentials decrypted but are not credentials of a known format version. */
    UNPARSEABLE
  }

  private final String accountId;
  private final Kind kind;

  public SessionUnavailableException(String accountId, Kind kind, String detail, Throwable cause) {
    super("session of account " + accountId + " unavailable (" + kind + "): " + detail, cause);
    this.accountId = Objects.requireNonNull(accountId, "accountId == null");
    this.kind = Objects.requireNonNull(kind, "kind == null");
  }

  public String accountId() {
    return accountId;
  }

  public Kind kind() {
    return kind;
  }
}
