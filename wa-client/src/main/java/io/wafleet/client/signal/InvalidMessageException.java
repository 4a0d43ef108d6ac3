package io.wafleet.client.signal;

/**
 * A message cannot be decrypted: bad MAC, bad version byte, malformed or truncated bytes, a chain
 * too far ahead, or no session state that accepts it. The caller drops the message (and may ask
 * the sender to retry, protocol §9.4).
 */
public final class InvalidMessageException extends Exception {

  public InvalidMessageException(String message) {
    super(message);
  }

  public InvalidMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
