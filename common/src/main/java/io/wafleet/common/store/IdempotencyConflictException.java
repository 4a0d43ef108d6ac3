package io.wafleet.common.store;

/** An idempotency key was reused for a different request. */
public final class IdempotencyConflictException extends StoreException {
  private final String key;

  public IdempotencyConflictException(String key) {
    super("idempotency key '" + key + "' was already used for a different message");
    this.key = key;
  }

  public String key() {
    return key;
  }
}
