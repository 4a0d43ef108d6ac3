package io.wafleet.client.signal;

/**
 * A {@code msg} (or an encrypt call) for an address with no session. The caller fetches a pre-key
 * bundle (protocol §8.5) before sending, or asks the sender to retry when receiving.
 */
public final class NoSessionException extends Exception {

  public NoSessionException(String message) {
    super(message);
  }

  public NoSessionException(String message, Throwable cause) {
    super(message, cause);
  }
}
