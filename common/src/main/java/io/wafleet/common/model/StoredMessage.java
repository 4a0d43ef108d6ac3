package io.wafleet.common.model;

import java.time.Instant;
import java.util.Objects;

/**
 * threads/{threadId}/messages/{waMessageId}. The document id is WhatsApp's message id, so a
 * redelivered message overwrites nothing and is never doubled.
 */
public record StoredMessage(
    String waMessageId,
    String accountId,
    String chatJid,
    Direction direction,
    String from,
    String to,
    String text,
    String status,
    String pushName,
    Instant ts,
    Instant storedAt) {

  public StoredMessage {
    Objects.requireNonNull(waMessageId, "waMessageId == null");
    Objects.requireNonNull(accountId, "accountId == null");
    Objects.requireNonNull(chatJid, "chatJid == null");
    Objects.requireNonNull(direction, "direction == null");
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(ts, "ts == null");
  }

  /** Never prints the message text. */
  @Override
  public String toString() {
    return "StoredMessage[id=" + waMessageId + ", accountId=" + accountId + ", direction=" + direction + "]";
  }
}
