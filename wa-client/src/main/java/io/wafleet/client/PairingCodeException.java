package io.wafleet.client;

import java.util.Objects;

/** A pairing-code request (docs/protocol.md §6.7) failed; {@link #error()} says why. */
public final class PairingCodeException extends WaException {

  private static final long serialVersionUID = 1L;

  private final PairingCodeError error;

  public PairingCodeException(PairingCodeError error, String message) {
    super(error + ": " + message);
    this.error = Objects.requireNonNull(error, "error == null");
  }

  public PairingCodeError error() {
    return error;
  }
}
