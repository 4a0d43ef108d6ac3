package io.wafleet.client.signal;

/**
 * The message key for this counter was already used: a redelivered copy of a message that was
 * decrypted before (protocol §13, idempotent receive). The caller acknowledges and drops it.
 */
public final class DuplicateMessageException extends Exception {

  public DuplicateMessageException(String message) {
    super(message);
  }

  public DuplicateMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
