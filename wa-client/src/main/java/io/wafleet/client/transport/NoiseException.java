package io.wafleet.client.transport;

/**
 * The Noise handshake or the transport cipher refused its input: a bad GCM tag, a truncated
 * ciphertext, a malformed handshake message or a rejected server certificate. The connection cannot
 * continue; the caller closes it and, if it wants, connects afresh. A rejected certificate is the
 * subtype {@link UntrustedServerException}. Immutable; thread-safe.
 */
public class NoiseException extends Exception {

  private static final long serialVersionUID = 1L;

  public NoiseException(String message) {
    super(message);
  }

  public NoiseException(String message, Throwable cause) {
    super(message, cause);
  }
}
