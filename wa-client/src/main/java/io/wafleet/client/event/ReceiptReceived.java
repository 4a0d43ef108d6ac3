package io.wafleet.client.event;

import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.time.Instant;
import java.util.Objects;

/**
 * A receipt for one of our messages (§9.5), already acknowledged to the server.
 *
 * @param id the message it is about (the first id when the receipt lists several)
 * @param from the device that sent the receipt (for a group message the member's device, the
 *     receipt's {@code participant})
 * @param type what it says
 * @param timestamp the receipt's {@code t}, or the local time when absent
 */
public record ReceiptReceived(MessageId id, Jid from, ReceiptType type, Instant timestamp)
    implements WaEvent {

  public ReceiptReceived {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(timestamp, "timestamp == null");
  }

  @Override
  public String toString() {
    return "ReceiptReceived[id=" + id + ", from=" + from.masked() + ", type=" + type + "]";
  }
}
