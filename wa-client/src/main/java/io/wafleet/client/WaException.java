package io.wafleet.client;

/** Base of wa-client's unchecked exceptions; each subclass is an outcome callers branch on. */
public class WaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public WaException(String message) {
    super(message);
  }

  public WaException(String message, Throwable cause) {
    super(message, cause);
  }
}
