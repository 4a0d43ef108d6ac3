package io.wafleet.client.event;

import io.wafleet.client.Jid;
import io.wafleet.client.MessageId;
import java.util.Objects;

/**
 * A message arrived again: the same id from the same device while the first copy is still
 * unacknowledged or was acknowledged recently, or a ciphertext whose key was already used
 * (a replay, or a redelivery after a restart). Nothing new to store; the client confirms it to
 * the server by itself once the first copy is acknowledged.
 */
public record DuplicateMessage(MessageId id, Jid sender) implements WaEvent {

  public DuplicateMessage {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(sender, "sender == null");
  }

  @Override
  public String toString() {
    return "DuplicateMessage[id=" + id + ", sender=" + sender.masked() + "]";
  }
}
