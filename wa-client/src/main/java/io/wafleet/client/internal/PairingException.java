package io.wafleet.client.internal;

/** A pair-success stanza failed verification (§6.5); the detail names the check. */
final class PairingException extends Exception {

  private static final long serialVersionUID = 1L;

  PairingException(String message) {
    super(message);
  }

  PairingException(String message, Throwable cause) {
    super(message, cause);
  }
}
