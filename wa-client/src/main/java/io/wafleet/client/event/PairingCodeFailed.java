package io.wafleet.client.event;

import io.wafleet.client.PairingCodeError;
import java.util.Objects;

/**
 * Pairing by code (§6.7) hit a problem after the code was issued: the phone entered a wrong code
 * ({@link PairingCodeError#WRONG_CODE}, it may try again), too many attempts, the registration
 * expired first, the server refused companion_finish, or the server's notification was malformed
 * (the reason is in {@code detail}).
 * The connection itself goes on, except after {@link PairingCodeError#EXPIRED}, which comes just
 * before {@code Disconnected(TIMED_OUT)}.
 */
public record PairingCodeFailed(PairingCodeError error, String detail) implements WaEvent {

  public PairingCodeFailed {
    Objects.requireNonNull(error, "error == null");
    Objects.requireNonNull(detail, "detail == null");
  }
}
