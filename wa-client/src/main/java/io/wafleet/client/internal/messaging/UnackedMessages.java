package io.wafleet.client.internal.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.model.Jid;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable copies of decrypted, not yet acknowledged messages (docs/protocol.md §13,
 * "Idempotent receive"), in the auth key store under
 * {@link SignalKeyStore#UNACKED_MESSAGE} with id {@link #storeId}. The {@link Receiver} stores an
 * entry before the advanced Signal session is stored and deletes it once the delivery receipt is
 * written; a redelivered ciphertext that no longer decrypts is answered from the entry. An
 * unreadable entry reads as absent (logged): it cannot be repaired, and the server stops
 * redelivering only after a receipt. Storage failures propagate. Thread-safe as far as the key
 * store is.
 */
final class UnackedMessages {

  private static final Logger log = LoggerFactory.getLogger(UnackedMessages.class);

  private final SignalKeyStore keys;

  UnackedMessages(SignalKeyStore keys) {
    this.keys = keys;
  }

  /**
   * {@code <sender device jid>|<message id>}, with {@code %} and {@code /} of the id
   * percent-encoded: the Firestore key store puts the id in a document id, where '/' is a path
   * separator. A JID contains neither '|' nor '/', so the first '|' splits it.
   */
  static String storeId(Jid senderDevice, String messageId) {
    Jid device = senderDevice.hasDevice() ? senderDevice : senderDevice.withDevice(0);
    return device + "|" + messageId.replace("%", "%25").replace("/", "%2F");
  }

  void store(UnackedMessageRecord record) {
    String id = storeId(record.message().sender(), record.message().id().value());
    keys.store(SignalKeyStore.UNACKED_MESSAGE, Collections.singletonMap(id, record.serialize()));
  }

  /** The stored entry of that message; empty if none or unreadable. */
  Optional<UnackedMessageRecord> load(Jid senderDevice, String messageId) {
    String id = storeId(senderDevice, messageId);
    byte[] blob = keys.load(SignalKeyStore.UNACKED_MESSAGE, List.of(id)).get(id);
    if (blob == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UnackedMessageRecord.parse(blob));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      // Never log the blob: it holds message text.
      log.warn("unacked message unreadable id={} sender={} bytes={} error={}", messageId,
          senderDevice.masked(), blob.length, e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  void delete(Jid senderDevice, String messageId) {
    keys.store(SignalKeyStore.UNACKED_MESSAGE,
        Collections.singletonMap(storeId(senderDevice, messageId), null));
  }
}
