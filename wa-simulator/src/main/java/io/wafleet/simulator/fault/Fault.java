package io.wafleet.simulator.fault;

import java.util.Locale;
import java.util.Objects;

/**
 * One fault to inject (§11 item 15). {@code target} is a device JID or {@code all}; {@code code}
 * is the stream error code for {@link Kind#STREAM_ERROR} (515 restart, 440 replaced, 401 logged
 * out, or any other). Immutable; thread-safe.
 */
public record Fault(Kind kind, int code, String target) {

  /** Target every live connection. */
  public static final String ALL = "all";

  /** What happens to each targeted connection. */
  public enum Kind {
    /** Close the TCP connection abruptly, without a WebSocket close frame. */
    DROP,
    /** Send nothing more (not even iq answers), keep the socket open: the client's keepalive fails (408). */
    STALL,
    /** Send {@code <stream:error>} for {@code code} (§7.6), then close. */
    STREAM_ERROR;

    /** {@code drop}, {@code stall} or {@code stream-error}. */
    public static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.name().replace('_', '-').toLowerCase(Locale.ROOT).equals(text)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("kind must be drop, stall or stream-error");
    }
  }

  public Fault {
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(target, "target == null");
    if (kind == Kind.STREAM_ERROR && (code < 100 || code > 999)) {
      throw new IllegalArgumentException("code must be a 3-digit stream error code");
    }
  }
}
