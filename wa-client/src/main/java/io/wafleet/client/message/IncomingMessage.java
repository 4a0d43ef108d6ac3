package io.wafleet.client.message;

import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.time.Instant;
import java.util.Objects;

/**
 * A decrypted 1:1 message (§9). Hand it back to {@code WaClient.acknowledge} once it is stored:
 * only then does the sender get its delivery receipt. Immutable; thread-safe.
 *
 * @param id the sender's message id
 * @param chat the other party's user JID; for copies of our own sends (from another of our
 *     devices) the chat they were sent to
 * @param sender the sending device's JID
 * @param fromMe true when one of our own other devices sent it
 * @param timestamp the stanza's {@code t}
 * @param pushName the sender's display name ({@code notify}), or null
 * @param content what it carries; never null
 * @param offline true when the server queued it while we were offline
 * @param encType the {@code <enc type>} it arrived in: {@code pkmsg}, {@code msg} or {@code skmsg}
 * @param senderPn the sender's phone-number user JID ({@code NUMBER@s.whatsapp.net}), or null
 *     when neither the stanza nor a stored mapping tells it (§9.1 {@code sender_pn})
 * @param senderLid the sender's LID user JID ({@code LID@lid}), or null when neither the stanza
 *     nor a stored mapping tells it (§9.1 {@code sender_lid})
 */
public record IncomingMessage(MessageId id, Jid chat, Jid sender, boolean fromMe,
    Instant timestamp, String pushName, MessageContent content, boolean offline, String encType,
    Jid senderPn, Jid senderLid) {

  public IncomingMessage {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(chat, "chat == null");
    Objects.requireNonNull(sender, "sender == null");
    Objects.requireNonNull(timestamp, "timestamp == null");
    Objects.requireNonNull(content, "content == null");
    Objects.requireNonNull(encType, "encType == null");
    if (senderPn != null && (!senderPn.isUser() || senderPn.hasDevice())) {
      throw new IllegalArgumentException("senderPn must be a phone-number user JID");
    }
    if (senderLid != null && (!senderLid.isLid() || senderLid.hasDevice())) {
      throw new IllegalArgumentException("senderLid must be a LID user JID");
    }
  }

  /** A message whose sender's other identity is not known. */
  public IncomingMessage(MessageId id, Jid chat, Jid sender, boolean fromMe, Instant timestamp,
      String pushName, MessageContent content, boolean offline, String encType) {
    this(id, chat, sender, fromMe, timestamp, pushName, content, offline, encType, null, null);
  }

  /** No phone numbers, no text. */
  @Override
  public String toString() {
    return "IncomingMessage[id=" + id + ", sender=" + sender.masked() + ", fromMe=" + fromMe
        + ", content=" + content + ", offline=" + offline + ", encType=" + encType + "]";
  }
}
