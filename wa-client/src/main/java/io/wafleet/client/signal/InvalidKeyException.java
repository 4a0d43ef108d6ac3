package io.wafleet.client.signal;

/**
 * A key is malformed or a signature over it is wrong, e.g. a pre-key bundle whose signed pre-key
 * signature does not verify. The caller drops the bundle and does not send to that device.
 */
public final class InvalidKeyException extends Exception {

  public InvalidKeyException(String message) {
    super(message);
  }

  public InvalidKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
