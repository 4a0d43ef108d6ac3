package io.wafleet.client;

import io.wafleet.client.model.MessageId;
import java.time.Instant;
import java.util.Objects;

/**
 * A text the server accepted: its {@code <ack class="message">} arrived (§8.8). Delivery and read
 * follow as {@code ReceiptReceived} events. Immutable.
 *
 * @param id the message id (the caller's, or the generated one)
 * @param serverTimestamp the ack's {@code t}, or the local time when the ack carried none
 * @param devices how many device copies the stanza carried (recipient's and our own others)
 */
public record SendResult(MessageId id, Instant serverTimestamp, int devices) {

  public SendResult {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(serverTimestamp, "serverTimestamp == null");
  }
}
