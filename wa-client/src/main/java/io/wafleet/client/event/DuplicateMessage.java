package io.wafleet.client.event;

import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.util.Objects;

/**
 * A message arrived again: the same id from the same device while this client still holds the
 * first copy unacknowledged or acknowledged it recently, or a ciphertext whose key was already
 * used and that has no unacknowledged stored copy (acknowledged before, or a replay). Nothing new
 * to store; the client confirms it to the server by itself once the first copy is acknowledged.
 * A never-acknowledged message redelivered after a restart is a {@link MessageReceived} instead.
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
