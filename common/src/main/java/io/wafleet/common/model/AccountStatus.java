package io.wafleet.common.model;

/**
 * What the connector last observed of an account's WhatsApp link. Stored by {@link #name()}, never by
 * ordinal; adding a value is a schema change. Only the account's lease owner writes it.
 */
public enum AccountStatus {
  /** Created; no connector has picked it up yet. Next: a connector claims it. */
  PENDING,
  /** A socket is being opened or logged in. Next: CONNECTED, NEEDS_QR, DISCONNECTED or LOGGED_OUT. */
  CONNECTING,
  /** No usable session: a QR (or pairing code) is waiting to be scanned. */
  NEEDS_QR,
  /** Logged in and open. */
  CONNECTED,
  /** Lost or failed to connect; the connector retries with backoff. */
  DISCONNECTED,
  /** WhatsApp refused the credentials (device removed). A new pairing is needed. */
  LOGGED_OUT,
  /** The operator stopped it ({@link DesiredState#STOPPED}); no socket is held. */
  STOPPED;

  /** The account needs a person: a scan or a new pairing. */
  public boolean needsPairing() {
    return this == NEEDS_QR || this == LOGGED_OUT;
  }
}
