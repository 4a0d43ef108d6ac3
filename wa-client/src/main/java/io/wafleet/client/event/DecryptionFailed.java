package io.wafleet.client.event;

import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.util.Objects;

/**
 * A message could not be decrypted or parsed (§9.2). The client already asked the sender to
 * resend (a retry receipt, §9.4) where WhatsApp does; the connection stays up. A successful
 * resend arrives later as {@link MessageReceived} with the same id.
 *
 * @param reason a stable kebab code: {@code bad-mac}, {@code no-session}, {@code unknown-prekey},
 *     {@code invalid-message}, {@code unknown-enc-type}, {@code bad-padding}, {@code bad-protobuf}
 * @param failureCount how many failures with this reason this client has seen so far
 */
public record DecryptionFailed(MessageId id, Jid sender, String reason, int failureCount)
    implements WaEvent {

  public DecryptionFailed {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(sender, "sender == null");
    Objects.requireNonNull(reason, "reason == null");
  }

  @Override
  public String toString() {
    return "DecryptionFailed[id=" + id + ", sender=" + sender.masked() + ", reason=" + reason
        + ", failureCount=" + failureCount + "]";
  }
}
