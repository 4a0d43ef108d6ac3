package io.wafleet.client.signal;

/**
 * A {@code pkmsg} names a one-time pre-key or signed pre-key that we do not hold (already used, or
 * never ours). The caller asks the sender to retry, which makes it fetch a fresh bundle.
 */
public final class InvalidKeyIdException extends Exception {

  public InvalidKeyIdException(String message) {
    super(message);
  }

  public InvalidKeyIdException(String message, Throwable cause) {
    super(message, cause);
  }
}
