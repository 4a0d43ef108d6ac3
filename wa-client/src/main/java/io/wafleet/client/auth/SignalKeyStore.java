package io.wafleet.client.auth;

import java.util.Collection;
import java.util.Map;

/**
 * A generic store of opaque key blobs addressed by (type, id), the seam over which the Signal
 * stores ({@code PreKeyStore}, {@code SignalSessionStore}, ...) are implemented. Modelled on Baileys'
 * {@code keys.get(type, ids)} / {@code keys.set(data)}.
 *
 * <p>Implementations must be thread-safe; {@link #load} returns copies and throws on storage
 * failure (an absent id is simply missing from the map).
 */
public interface SignalKeyStore {

  /** One-time pre-keys; id = decimal pre-key id, value = {@code PreKeyRecord.serialize()}. */
  String PRE_KEY = "pre-key";
  /** Signal sessions; id = signal address ({@code Jid.signalAddress()}). */
  String SESSION = "session";
  /** Remote identity keys; id = signal address. */
  String IDENTITY = "identity";
  /**
   * Phone-number ↔ LID mappings the client learnt (docs/protocol.md §5, §8.4, §9.1): id = phone
   * number user, value = LID user (UTF-8); id {@code <lid user>_reverse}, value = phone-number user.
   */
  String LID_MAPPING = "lid-mapping";
  /** Sender keys; id = group + address. */
  String SENDER_KEY = "sender-key";
  /**
   * Decrypted messages not yet acknowledged by the application, stored before the Signal session
   * that consumed their key (docs/protocol.md §13, "Idempotent receive"); id =
   * {@code <sender device jid>|<message id>} ('/' and '%' of the id percent-encoded, so the id
   * never contains '/'), value = a versioned record holding the message text: store it like the
   * keys, encrypted at rest. At most 10,000 live entries per account; deleted on acknowledge.
   */
  String UNACKED_MESSAGE = "unacked-message";

  /** The stored values for those ids of that type; ids without a value are absent. */
  Map<String, byte[]> load(String type, Collection<String> ids);

  /** Stores each (id, value) of that type; a null value deletes the id. */
  void store(String type, Map<String, byte[]> values);
}
