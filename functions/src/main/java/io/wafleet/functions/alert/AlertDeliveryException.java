package io.wafleet.functions.alert;

/** An alert could not be delivered; the message is safe to log (no token, no chat content). */
public final class AlertDeliveryException extends RuntimeException {
  public AlertDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
