package io.wafleet.connector.auth;

import io.wafleet.common.store.FencingException;

/**
 * A session write was refused because this process no longer owns the account (another instance
 * claimed it with a newer generation). Thrown to the client, which ends the connection; the
 * {@link FirestoreAuthState}'s fence listener has already told the supervisor, which closes the
 * socket at once and stops. Expected under fail-over, so it carries no stack trace.
 */
public final class SessionFencedException extends RuntimeException {

  private final FencingException fencing;

  public SessionFencedException(FencingException fencing) {
    super(fencing.getMessage(), fencing);
    this.fencing = fencing;
  }

  /** The store's refusal, with the owner the write carried and the current one. */
  public FencingException fencing() {
    return fencing;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
