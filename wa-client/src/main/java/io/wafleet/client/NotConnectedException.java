package io.wafleet.client;

/** The call needs an open connection, and there is none (never connected, or closed since). */
public final class NotConnectedException extends WaException {

  private static final long serialVersionUID = 1L;

  public NotConnectedException(String message) {
    super(message);
  }
}
