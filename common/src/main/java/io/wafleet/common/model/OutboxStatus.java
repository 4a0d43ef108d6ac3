package io.wafleet.common.model;

/** Where an outbound message is. Moves forward only: QUEUED → SENDING → SENT → DELIVERED → READ. */
public enum OutboxStatus {
  QUEUED,
  SENDING,
  SENT,
  DELIVERED,
  READ,
  FAILED;

  /** True when {@code next} is a forward move (receipts may arrive out of order and must not regress). */
  public boolean canMoveTo(OutboxStatus next) {
    if (this == FAILED || this == READ) {
      return false;
    }
    if (next == FAILED) {
      return this == QUEUED || this == SENDING;
    }
    return next.ordinal() > ordinal();
  }

  public boolean isTerminal() {
    return this == READ || this == FAILED;
  }
}
