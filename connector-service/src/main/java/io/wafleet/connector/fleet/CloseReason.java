package io.wafleet.connector.fleet;

import io.wafleet.client.model.DisconnectReason;

/**
 * The one taxonomy of why an account's connection ended or could not start, each with one stable
 * lower-kebab code (written to {@code accounts/{id}.lastError} and {@code lastDisconnectReason}, and
 * logged as {@code cause=<code>}) and one {@link OperatorAction}. docs/runbook.md lists the same codes
 * with what to do. Codes are never reused.
 */
public enum CloseReason {
  /** The socket died: network error, dropped socket or keepalive silence (408). */
  CONNECTION_LOST("wa-connection-lost", OperatorAction.RETRY),
  /** The server closed the stream or socket (428). */
  CONNECTION_CLOSED("wa-connection-closed", OperatorAction.RETRY),
  /** No login within the connect timeout (the supervisor's deadline or the client's). */
  TIMED_OUT("wa-timed-out", OperatorAction.RETRY),
  /** The server asked for a new connection (515), e.g. right after pairing: reconnect at once. */
  RESTART_REQUIRED("wa-restart-required", OperatorAction.RETRY),
  /** A broken stream: a generic stream error or garbage from the server (500). */
  BAD_SESSION("wa-bad-session", OperatorAction.RETRY),
  /** WhatsApp is unavailable (503). */
  SERVICE_UNAVAILABLE("wa-service-unavailable", OperatorAction.RETRY),
  /** A stream error code wa-client does not know; the code written is {@code wa-stream-error-<n>}. */
  UNKNOWN_STREAM_ERROR("wa-stream-error", OperatorAction.RETRY),
  /** Firestore could not be read or written while restoring or storing the session. */
  SESSION_STORE_UNAVAILABLE("session-store-unavailable", OperatorAction.RETRY),
  /** The device was unlinked from the phone or its login refused (401). */
  LOGGED_OUT("wa-logged-out", OperatorAction.RE_PAIR),
  /** WhatsApp refuses the device: the main device (phone) is gone (403). */
  MAIN_DEVICE_GONE("wa-main-device-gone", OperatorAction.RE_PAIR),
  /** The stored session lacks parts a login needs (named in the detail); a QR is offered. */
  SESSION_INCOMPLETE("session-incomplete", OperatorAction.RE_PAIR),
  /** Nobody scanned the QR before the server's refs ran out; not a failure, the account waits. */
  QR_REFS_EXHAUSTED("wa-qr-refs-exhausted", OperatorAction.RE_PAIR),
  /** Another connection of this device took over (440): never fight for the socket. */
  CONNECTION_REPLACED("wa-connection-replaced", OperatorAction.STOP_AND_INVESTIGATE),
  /** WhatsApp wants a newer client (411 multi-device mismatch, 405 client outdated). */
  CLIENT_OUTDATED("wa-client-outdated", OperatorAction.STOP_AND_INVESTIGATE),
  /** The number is temporarily banned (402). */
  TEMPORARY_BAN("wa-temporary-ban", OperatorAction.STOP_AND_INVESTIGATE),
  /** The stored session does not decrypt or parse: a key missing from WAFLEET_SESSION_KEYS, or damage. */
  SESSION_UNREADABLE("session-unreadable", OperatorAction.STOP_AND_INVESTIGATE),
  /**
   * The server's certificate chain is not signed by the trusted root: a man in the middle, or a
   * connector pointed at a simulator without trusting the simulator's root (WAFLEET_WA_ROOT_KEY).
   */
  UNTRUSTED_SERVER("wa-untrusted-server", OperatorAction.STOP_AND_INVESTIGATE),
  /** Another connector instance claimed the account; this one closed its socket at once. */
  OWNERSHIP_LOST("fleet-ownership-lost", OperatorAction.STOP_AND_INVESTIGATE);

  private static final int TEMPORARY_BAN_CODE = 402;
  private static final int CLIENT_OUTDATED_CODE = 405;

  private final String code;
  private final OperatorAction action;

  CloseReason(String code, OperatorAction action) {
    this.code = code;
    this.action = action;
  }

  /** The stable code; for {@link #UNKNOWN_STREAM_ERROR} see {@link #codeFor(int)}. */
  public String code() {
    return code;
  }

  public OperatorAction action() {
    return action;
  }

  /** The code as written for a connection that ended with wire code {@code rawCode}. */
  public String codeFor(int rawCode) {
    return this == UNKNOWN_STREAM_ERROR ? code + "-" + rawCode : code;
  }

  /** Classifies a wa-client close; unknown codes never throw. */
  public static CloseReason of(DisconnectReason reason, int rawCode) {
    return switch (reason) {
      case LOGGED_OUT -> LOGGED_OUT;
      case FORBIDDEN -> MAIN_DEVICE_GONE;
      case CONNECTION_LOST -> CONNECTION_LOST;
      case TIMED_OUT -> TIMED_OUT;
      case MULTIDEVICE_MISMATCH -> CLIENT_OUTDATED;
      case CONNECTION_CLOSED -> CONNECTION_CLOSED;
      case CONNECTION_REPLACED -> CONNECTION_REPLACED;
      case BAD_SESSION -> BAD_SESSION;
      case UNAVAILABLE_SERVICE -> SERVICE_UNAVAILABLE;
      case RESTART_REQUIRED -> RESTART_REQUIRED;
      case UNTRUSTED_SERVER -> UNTRUSTED_SERVER;
      case UNKNOWN -> rawCode == TEMPORARY_BAN_CODE ? TEMPORARY_BAN
          : rawCode == CLIENT_OUTDATED_CODE ? CLIENT_OUTDATED : UNKNOWN_STREAM_ERROR;
    };
  }
}
