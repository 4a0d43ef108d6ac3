package io.wafleet.common.store;

import io.wafleet.common.model.Owner;

/**
 * An owner-only write was refused because the writer is no longer the account's owner (another
 * instance claimed it with a newer generation). The caller must close that account's socket.
 * Expected under normal fail-over, so it carries no stack trace.
 */
public final class FencingException extends StoreException {

  private final String accountId;
  private final Owner expected;
  private final Owner actual;

  public FencingException(String accountId, Owner expected, Owner actual) {
    super("account " + accountId + " is owned by " + describe(actual) + ", not " + describe(expected));
    this.accountId = accountId;
    this.expected = expected;
    this.actual = actual;
  }

  public String accountId() {
    return accountId;
  }

  public Owner expected() {
    return expected;
  }

  /** The current owner, or null when nobody owns the account. */
  public Owner actual() {
    return actual;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  private static String describe(Owner owner) {
    return owner == null ? "nobody" : owner.instanceId() + "@" + owner.generation();
  }
}
