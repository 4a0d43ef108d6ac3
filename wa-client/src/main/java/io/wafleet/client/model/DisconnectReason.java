package io.wafleet.client.model;

import io.wafleet.client.binary.Node;

/**
 * Why a connection ended, with WhatsApp's wire code (Baileys' {@code DisconnectReason}, §7.6).
 * Decide with the predicates, never by comparing codes. Unknown wire codes map to
 * {@link #UNKNOWN}; the event keeps the raw code.
 */
public enum DisconnectReason {
  /** The device was unlinked or its login refused (401). Pair again. */
  LOGGED_OUT(401),
  /** The server refuses this account or device (403). Pair again. */
  FORBIDDEN(403),
  /** The socket died: a network error, a dropped socket or keepalive silence (408). Reconnect. */
  CONNECTION_LOST(408),
  /** A client-side deadline passed: connect timeout or QR refs exhausted (408). Reconnect. */
  TIMED_OUT(408),
  /** The server wants a newer multi-device client ({@code downgrade_webclient}, 411). */
  MULTIDEVICE_MISMATCH(411),
  /** The server closed the stream or socket ({@code xmlstreamend}, a WS close) (428). Reconnect. */
  CONNECTION_CLOSED(428),
  /** Another connection of this device took over (440). Do not reconnect blindly. */
  CONNECTION_REPLACED(440),
  /** The session is broken: a generic stream error, or garbage from the server (500). Reconnect. */
  BAD_SESSION(500),
  /**
   * The server's Noise certificate chain is not signed by the root key this client trusts (400,
   * the status Baileys ≥ rc10 gives it): a man in the middle, or a simulator whose root the client
   * was not told to trust. Decided by the client before it sends any credentials; never mapped
   * from a wire code. Do not reconnect until a person has looked.
   */
  UNTRUSTED_SERVER(400),
  /** The service is unavailable (503). Reconnect with backoff. */
  UNAVAILABLE_SERVICE(503),
  /** The server asks for a new connection, e.g. right after pairing (515). Reconnect at once. */
  RESTART_REQUIRED(515),
  /** A wire code this client does not know; see the event's raw code. Reconnect with backoff. */
  UNKNOWN(0);

  private final int code;

  DisconnectReason(int code) {
    this.code = code;
  }

  /** The wire code (408 for both {@link #CONNECTION_LOST} and {@link #TIMED_OUT}). */
  public int code() {
    return code;
  }

  /**
   * The reason for a wire code; 408 gives {@link #TIMED_OUT}, as in Baileys; unknown → UNKNOWN.
   * {@link #UNTRUSTED_SERVER} is local only: a server cannot claim it (400 → UNKNOWN).
   */
  public static DisconnectReason fromCode(int code) {
    if (code == 408) {
      return TIMED_OUT;
    }
    for (DisconnectReason reason : values()) {
      if (reason.code == code && reason != UNKNOWN && reason != UNTRUSTED_SERVER) {
        return reason;
      }
    }
    return UNKNOWN;
  }

  /**
   * The reason for {@code <stream:error>} (§7.6): the {@code code} attribute wins; without it a
   * {@code <conflict>} first child means {@link #CONNECTION_REPLACED} — except
   * {@code type="device_removed"}, which means {@link #LOGGED_OUT} (as whatsmeow does) — and
   * anything else {@link #BAD_SESSION}.
   */
  public static DisconnectReason fromStreamError(Node streamError) {
    return fromCode(streamErrorCode(streamError));
  }

  /** The wire code of a {@code <stream:error>} as {@link #fromStreamError} reads it. */
  public static int streamErrorCode(Node streamError) {
    Integer explicit = parseCode(streamError.attr("code"));
    if (explicit != null) {
      return explicit;
    }
    Node first = streamError.children().isEmpty() ? null : streamError.children().get(0);
    if (first != null && first.tag().equals("conflict")) {
      return "device_removed".equals(first.attr("type")) ? LOGGED_OUT.code : CONNECTION_REPLACED.code;
    }
    return BAD_SESSION.code;
  }

  /** The reason for {@code <failure reason="N"/>} (§7.6); a missing reason means BAD_SESSION. */
  public static DisconnectReason fromFailure(Node failure) {
    return fromCode(failureCode(failure));
  }

  /** The wire code of a {@code <failure>} as {@link #fromFailure} reads it. */
  public static int failureCode(Node failure) {
    Integer reason = parseCode(failure.attr("reason"));
    return reason == null ? BAD_SESSION.code : reason;
  }

  /** True when the credentials are dead and only a new pairing helps (401, 403). */
  public boolean needsNewPairing() {
    return this == LOGGED_OUT || this == FORBIDDEN;
  }

  /**
   * True when reconnecting with the same credentials cannot help without a person deciding: a
   * new pairing is needed, another connection took over, the client is too old, or the server is
   * not trusted.
   */
  public boolean isPermanent() {
    return needsNewPairing() || this == CONNECTION_REPLACED || this == MULTIDEVICE_MISMATCH
        || this == UNTRUSTED_SERVER;
  }

  /** True when a reconnect with the same auth state is worth trying (with backoff). */
  public boolean shouldReconnect() {
    return !isPermanent();
  }

  private static Integer parseCode(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
