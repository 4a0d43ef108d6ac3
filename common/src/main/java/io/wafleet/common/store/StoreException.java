package io.wafleet.common.store;

/**
 * Firestore could not be read or written. A failed read is never reported as "absent" (see
 * CONTRIBUTING.md): a blip read as "no credentials" would pair a new device and strand the account.
 */
public class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
