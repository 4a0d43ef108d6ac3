package io.wafleet.client.event;

import io.wafleet.client.model.Jid;
import java.util.Objects;

/**
 * The connection is open: logged in, pre-keys topped up, marked active (§7.1, §7.2). The client
 * stays connected until a terminal event or {@code close()}.
 *
 * @param me this device's JID
 * @param lid this device's LID, or null if unknown
 */
public record Connected(Jid me, Jid lid) implements WaEvent {

  public Connected {
    Objects.requireNonNull(me, "me == null");
  }

  @Override
  public String toString() {
    return "Connected[me=" + me.masked() + "]";
  }
}
