package io.wafleet.client.transport;

/**
 * The inbound byte stream breaks the framing rules of §1.2/§1.3: a wrong intro header or a
 * zero-length frame. The stream is unusable afterwards; the caller closes the connection.
 * Immutable; thread-safe.
 */
public class FrameException extends Exception {

  private static final long serialVersionUID = 1L;

  public FrameException(String message) {
    super(message);
  }
}
