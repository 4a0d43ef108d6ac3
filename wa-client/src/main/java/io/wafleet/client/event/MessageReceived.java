package io.wafleet.client.event;

import io.wafleet.client.message.IncomingMessage;
import java.util.Objects;

/**
 * A message arrived and decrypted (§9). Nothing has been confirmed to the sender yet: store it,
 * then call {@code WaClient.acknowledge(message)}; until then a redelivery of the same id
 * surfaces as {@link DuplicateMessage}. Events arrive in the order the server sent the messages.
 */
public record MessageReceived(IncomingMessage message) implements WaEvent {

  public MessageReceived {
    Objects.requireNonNull(message, "message == null");
  }
}
