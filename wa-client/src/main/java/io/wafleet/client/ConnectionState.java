package io.wafleet.client;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one connection. Moves only forward along the allowed edges
 * ({@link #canMoveTo}); {@link #CLOSED} is final for that connection.
 */
public enum ConnectionState {
  /** Built, not yet connecting. */
  IDLE,
  /** The WebSocket is being opened. */
  CONNECTING,
  /** The Noise handshake is running (§2). */
  HANDSHAKING,
  /** Registered without credentials; waiting for pair-device, showing QR codes (§6). */
  PAIRING,
  /** Logged in with credentials; waiting for success and the post-login queries (§7.1, §7.2). */
  LOGGING_IN,
  /** Open: {@code Connected} was emitted. */
  OPEN,
  /** A close was decided; sockets and timers are being released. */
  CLOSING,
  /** Nothing runs any more. */
  CLOSED;

  private Set<ConnectionState> next() {
    return switch (this) {
      case IDLE -> EnumSet.of(CONNECTING, CLOSING);
      case CONNECTING -> EnumSet.of(HANDSHAKING, CLOSING);
      case HANDSHAKING -> EnumSet.of(PAIRING, LOGGING_IN, CLOSING);
      case PAIRING -> EnumSet.of(CLOSING);
      case LOGGING_IN -> EnumSet.of(OPEN, CLOSING);
      case OPEN -> EnumSet.of(CLOSING);
      case CLOSING -> EnumSet.of(CLOSED);
      case CLOSED -> EnumSet.noneOf(ConnectionState.class);
    };
  }

  /** True if a connection in this state may move to {@code target}. */
  public boolean canMoveTo(ConnectionState target) {
    return next().contains(target);
  }
}
