package io.wafleet.client;

import io.wafleet.client.model.MessageId;

/**
 * The server refused a message: its {@code <ack class="message">} carried an {@code error}
 * (§8.8), or the send could not be prepared (no device could be reached, a key fetch failed).
 * Resending with the same {@link MessageId} is safe.
 */
public final class SendRejectedException extends WaException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  public SendRejectedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The server's error code (e.g. {@code "479"}), or a kebab code such as {@code no-devices}. */
  public String reason() {
    return reason;
  }
}
