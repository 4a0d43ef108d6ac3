package io.wafleet.client;

import io.wafleet.client.model.MessageId;
import java.time.Duration;

/**
 * No server ack for a message within the send timeout. The message may still have been
 * delivered: resend with the same {@link MessageId} so the recipient sees one message.
 */
public final class SendTimeoutException extends WaException {

  private static final long serialVersionUID = 1L;

  public SendTimeoutException(MessageId id, Duration timeout) {
    super("no server ack for message " + id + " within " + timeout.toMillis() + " ms");
  }
}
