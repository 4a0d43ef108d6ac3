package io.wafleet.client.event;

import io.wafleet.client.message.IncomingMessage;
import java.util.Objects;

/**
 * A message arrived and decrypted (§9). Nothing has been confirmed to the sender yet: store it,
 * then call {@code WaClient.acknowledge(message)}; until then a redelivery of the same id to this
 * client surfaces as {@link DuplicateMessage}. Events arrive in the order the server sent the
 * messages.
 *
 * <p><b>At least once.</b> The client keeps each unacknowledged message in its auth key store
 * ({@code SignalKeyStore.UNACKED_MESSAGE}) until it is acknowledged. If the process dies before
 * that, a new client on the same auth state emits the same message (same id, sender and content)
 * again when the server redelivers it. Store messages idempotently, keyed by (sender, id).
 */
public record MessageReceived(IncomingMessage message) implements WaEvent {

  public MessageReceived {
    Objects.requireNonNull(message, "message == null");
  }
}
