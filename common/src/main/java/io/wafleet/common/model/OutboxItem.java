package io.wafleet.common.model;

import java.time.Instant;
import java.util.Objects;

/** outbox/{outboxId}: one text to send from an account. The id is the caller's idempotency key. */
public record OutboxItem(
    String id,
    String accountId,
    String to,
    String text,
    OutboxStatus status,
    int attempts,
    Instant nextAttemptAt,
    String waMessageId,
    String error,
    Instant createdAt,
    Instant updatedAt) {

  /** WhatsApp's text limit is 65,536 characters (the limit the Web client enforces). */
  public static final int MAX_TEXT_LENGTH = 65_536;

  public OutboxItem {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(accountId, "accountId == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts < 0");
    }
  }

  public static OutboxItem queued(String id, String accountId, String to, String text, Instant now) {
    return new OutboxItem(id, accountId, to, text, OutboxStatus.QUEUED, 0, now, null, null, now, now);
  }

  /** Same request: used to tell an idempotent retry from a key reused for a different message. */
  public boolean sameRequestAs(OutboxItem other) {
    return accountId.equals(other.accountId) && to.equals(other.to) && text.equals(other.text);
  }

  /** Never prints the message text. */
  @Override
  public String toString() {
    return "OutboxItem[id=" + id + ", accountId=" + accountId + ", status=" + status
        + ", attempts=" + attempts + "]";
  }
}
