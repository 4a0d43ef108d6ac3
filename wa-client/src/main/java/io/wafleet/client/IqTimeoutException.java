package io.wafleet.client;

import java.time.Duration;

/** No answer to a query arrived within its timeout. */
public final class IqTimeoutException extends WaException {

  private static final long serialVersionUID = 1L;

  public IqTimeoutException(String id, Duration timeout) {
    super("no answer to iq " + id + " within " + timeout.toMillis() + " ms");
  }
}
