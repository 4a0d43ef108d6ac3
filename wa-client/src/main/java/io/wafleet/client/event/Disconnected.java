package io.wafleet.client.event;

import io.wafleet.client.model.DisconnectReason;
import java.util.Objects;

/**
 * The connection ended for a reason the caller did not ask for (never after the caller's own
 * {@code close()}). The client does not reconnect by itself: consult
 * {@link DisconnectReason#shouldReconnect()} and connect again with the same auth state.
 *
 * @param reason the mapped reason
 * @param rawCode the wire code as received (also for {@link DisconnectReason#UNKNOWN}), or the
 *     reason's own code when the client decided locally
 * @param detail what happened, for logs (never secrets)
 */
public record Disconnected(DisconnectReason reason, int rawCode, String detail)
    implements WaEvent {

  public Disconnected {
    Objects.requireNonNull(reason, "reason == null");
    Objects.requireNonNull(detail, "detail == null");
  }
}
