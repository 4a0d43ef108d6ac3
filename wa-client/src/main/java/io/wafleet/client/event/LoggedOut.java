package io.wafleet.client.event;

import io.wafleet.client.model.DisconnectReason;
import java.util.Objects;

/**
 * This device's registration is gone (unlinked from the phone, {@code logout()}, or a login
 * refused with 401/403); the connection is closed. Reconnecting with the same credentials will be
 * refused again. Next: discard the auth state and pair a new device.
 *
 * @param reason a reason whose {@link DisconnectReason#needsNewPairing()} is true
 * @param detail what happened, for logs
 */
public record LoggedOut(DisconnectReason reason, String detail)
    implements WaEvent, PermanentDisconnect {

  public LoggedOut {
    Objects.requireNonNull(reason, "reason == null");
    Objects.requireNonNull(detail, "detail == null");
  }
}
