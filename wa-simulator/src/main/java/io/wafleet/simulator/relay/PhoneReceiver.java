package io.wafleet.simulator.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.message.MessageContents;
import io.wafleet.client.model.Jid;
import io.wafleet.client.signal.DuplicateMessageException;
import io.wafleet.client.signal.InMemorySignalProtocolStore;
import io.wafleet.client.signal.InvalidKeyIdException;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import io.wafleet.client.signal.PreKeyRecord;
import io.wafleet.client.signal.SessionCipher;
import io.wafleet.client.signal.SignalAddress;
import io.wafleet.client.signal.UntrustedIdentityException;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.relay.PhoneInbox.Entry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated phone's receiving side (§9): decrypts a message for device 0 (pkmsg/msg, unpad,
 * parse), records it in the {@link PhoneInbox} and answers with a delivery receipt (or
 * {@code type="sender"} for its own companions' device-sent copies, §9.3); a failure is recorded
 * with its reason and, where WhatsApp would, answered with a retry receipt (§9.4). A message it
 * answers with neither (a duplicate, or no sender/enc) is acknowledged to the relay directly, as a
 * real device's {@code <ack class="message">} would (§9.3), so it never waits for redelivery.
 *
 * <p>Not thread-safe: confined to the phones' thread.
 */
final class PhoneReceiver {

  private static final Logger log = LoggerFactory.getLogger(PhoneReceiver.class);
  /** Retry receipts offer fresh one-time pre-keys from this id up (the server's pool stays 1..32). */
  private static final int RETRY_PRE_KEY_BASE = 0x100000;

  private final DeviceAddress self;
  private final InMemorySignalProtocolStore store;
  private final Relay relay;
  private final PhoneInbox inbox;
  private final Clock clock;
  private final Map<String, Integer> retries = new HashMap<>();
  private final PhoneGroupReceiver groups;
  private int nextRetryPreKey = RETRY_PRE_KEY_BASE;

  PhoneReceiver(DeviceAddress self, InMemorySignalProtocolStore store, Relay relay,
      PhoneInbox inbox, Clock clock) {
    this.self = self;
    this.store = store;
    this.relay = relay;
    this.inbox = inbox;
    this.clock = clock;
    this.groups = new PhoneGroupReceiver(self, this, relay, inbox);
  }

  /** One relayed {@code <message>} for device 0 (a group's goes to {@link PhoneGroupReceiver}). */
  void receive(Node message) {
    String id = message.attrOr("id", "");
    Jid from = Jid.tryParse(message.attr("from"));
    if (from != null && from.isGroup()) {
      groups.receive(message);
      return;
    }
    Node enc = message.child("enc");
    Optional<Phone> sender = relay.directory().account(from);
    if (from == null || enc == null || sender.isEmpty()) {
      log.info("phone ignored message phone={} reason=no-sender-or-enc", self);
      relay.acknowledge(self, List.of(id));
      return;
    }
    DeviceAddress device = new DeviceAddress(sender.get(), from.deviceId());
    String type = enc.attrOr("type", "");
    long t = Long.parseLong(message.attrOr("t", "0"));
    Optional<Entry> seen = inbox.find(from.toString(), id);
    if (seen.isPresent() && !seen.get().failed()) {
      relay.phoneDuplicateDropped();
      receipt(message, device, from, seen.get().chat());
      return;
    }
    try {
      MessageContents.Parsed parsed = MessageContents.parse(
          Padding.unpad(decrypt(device, type, enc.bytes())));
      String chat = chat(message, from, parsed);
      inbox.record(entry(message, id, from, chat, parsed.content(), t, type));
      receipt(message, device, from, chat);
    } catch (DuplicateMessageException e) {
      inbox.record(failure(id, from, t, type, "duplicate-message"));
      relay.acknowledge(self, List.of(id));
    } catch (NoSessionException e) {
      inbox.record(failure(id, from, t, type, "no-session"));
      retry(message, from, true);
    } catch (InvalidMessageException | InvalidKeyIdException | UntrustedIdentityException
        | InvalidProtocolBufferException | UnsupportedEnc e) {
      inbox.record(failure(id, from, t, type, reason(e)));
      retry(message, from, false);
    }
  }

  /** Decrypts one pairwise enc (pkmsg or msg) from the device; returns the padded plaintext. */
  byte[] decrypt(DeviceAddress device, String type, byte[] ciphertext)
      throws InvalidMessageException, DuplicateMessageException, NoSessionException,
      InvalidKeyIdException, UntrustedIdentityException, UnsupportedEnc {
    SignalAddress address = PhoneSender.address(device);
    if (ciphertext == null) {
      throw new InvalidMessageException("enc without ciphertext");
    }
    if ("msg".equals(type) && !store.containsSession(address)) {
      throw new NoSessionException("no session with the sender device");
    }
    SessionCipher cipher = new SessionCipher(store, address);
    return switch (type) {
      case "pkmsg" -> cipher.decryptPreKeyMessage(ciphertext);
      case "msg" -> cipher.decryptMessage(ciphertext);
      default -> throw new UnsupportedEnc();
    };
  }

  /** An enc type a phone cannot decrypt 1:1 (skmsg without group state, or unknown). */
  static final class UnsupportedEnc extends Exception {
    UnsupportedEnc() {
      super("unsupported-enc-type", null, false, false);
    }
  }

  static String reason(Exception e) {
    if (e instanceof UnsupportedEnc) {
      return "unsupported-enc-type";
    }
    if (e instanceof InvalidKeyIdException) {
      return "unknown-pre-key";
    }
    if (e instanceof UntrustedIdentityException) {
      return "untrusted-identity";
    }
    if (e instanceof InvalidProtocolBufferException) {
      return "bad-plaintext";
    }
    return "invalid-message";
  }

  private static String chat(Node message, Jid from, MessageContents.Parsed parsed) {
    if (parsed.deviceSentDestination() != null) {
      return parsed.deviceSentDestination();
    }
    return message.attrOr("recipient", from.toNonDevice().toString());
  }

  private static Entry entry(Node message, String id, Jid from, String chat,
      MessageContent content, long t, String type) {
    String text = content instanceof MessageContent.Text textContent ? textContent.text() : null;
    String unsupported = content instanceof MessageContent.Unsupported u ? u.type()
        : content instanceof MessageContent.Protocol p ? "protocol:" + p.type() : null;
    return new Entry(0, id, from.toString(), chat, text, unsupported, t, type, null,
        message.attr("notify"), message.attrOr("sender_lid", message.attr("sender_pn")));
  }

  private static Entry failure(String id, Jid from, long t, String type, String reason) {
    log.info("phone could not decrypt from={} reason={}", from.masked(), reason);
    return new Entry(0, id, from.toString(), from.toNonDevice().toString(), null, null, t, type,
        reason, null, null);
  }

  /** Delivery receipt (§9.3): none for others' messages, {@code sender} for own devices' copies. */
  private void receipt(Node message, DeviceAddress device, Jid from, String chat) {
    Map<String, String> attrs = Node.attrsOf("id", message.attrOr("id", ""), "to", from.toString());
    if (device.sameAccount(self)) {
      attrs.put("type", "sender");
      attrs.put("recipient", chat);
    }
    relay.submitReceipt(self, Node.of("receipt", attrs));
  }

  /**
   * Marks received messages read (§9.3): per sender device, one
   * {@code <receipt id=FIRST to=<chat> type="read" t><list><item id/>…</list></receipt>} (Baileys
   * messages-send.ts {@code sendReceipt}, whatsmeow receipt.go {@code MarkRead}). Every id must be a
   * message this phone decrypted; otherwise nothing is sent.
   *
   * @throws PhoneSender.Refused {@code unknown-message} for an id it never received,
   *     {@code not-decrypted} for one that failed to decrypt
   */
  List<String> markRead(List<String> ids) throws PhoneSender.Refused {
    Map<String, List<String>> bySender = new java.util.LinkedHashMap<>();
    Map<String, String> chats = new HashMap<>();
    for (String id : ids) {
      Entry entry = inbox.findById(id).orElseThrow(() -> new PhoneSender.Refused("unknown-message"));
      if (entry.failed()) {
        throw new PhoneSender.Refused("not-decrypted");
      }
      bySender.computeIfAbsent(entry.from(), from -> new java.util.ArrayList<>()).add(id);
      chats.putIfAbsent(entry.from(), entry.chat());
    }
    String t = Long.toString(clock.instant().getEpochSecond());
    bySender.forEach((from, itsIds) -> {
      Map<String, String> attrs = Node.attrsOf("id", itsIds.get(0), "to", chats.get(from),
          "type", "read", "t", t);
      List<Node> items = itsIds.subList(1, itsIds.size()).stream()
          .map(id -> Node.of("item", Node.attrsOf("id", id))).toList();
      relay.submitReceipt(self, items.isEmpty() ? Node.of("receipt", attrs)
          : Node.of("receipt", attrs, List.of(Node.of("list", Map.of(), items))));
    });
    log.info("phone read messages phone={} ids={} senders={}", self, ids.size(), bySender.size());
    return List.copyOf(ids);
  }

  /** Retry receipt (§9.4), with {@code <keys>} when there was no session or on a repeat. */
  private void retry(Node message, Jid from, boolean noSession) {
    Map<String, String> attrs = Node.attrsOf("id", message.attrOr("id", ""), "type", "retry",
        "to", from.toString());
    if (message.attr("recipient") != null) {
      attrs.put("recipient", message.attr("recipient"));
    }
    retry(message, from.toString(), attrs, noSession);
  }

  /**
   * A retry receipt with {@code attrs} ({@code id}, {@code type="retry"}, addressing) for the
   * message; {@code sender} keys the retry count.
   */
  void retry(Node message, String sender, Map<String, String> attrs, boolean noSession) {
    String id = message.attrOr("id", "");
    int count = retries.merge(sender + "/" + id, 1, Integer::sum);
    List<Node> children = new java.util.ArrayList<>(List.of(
        Node.of("retry", Node.attrsOf("count", Integer.toString(count), "id", id,
            "t", message.attrOr("t", "0"), "v", "1", "error", "0")),
        Node.of("registration", Map.of(), bigEndian(store.localRegistrationId(), 4))));
    if (noSession || count > 1) {
      children.add(keys());
    }
    relay.submitReceipt(self, Node.of("receipt", attrs, children));
  }

  private Node keys() {
    PreKeyRecord fresh = new PreKeyRecord(nextRetryPreKey++, Curve25519.generateKeyPair());
    store.storePreKey(fresh);
    var primary = self.phone().primaryKeys();
    return Node.of("keys", Map.of(), List.of(
        Node.of("type", Map.of(), new byte[] {5}),
        Node.of("identity", Map.of(), primary.identity().publicKey()),
        Node.of("key", Map.of(), List.of(
            Node.of("id", Map.of(), bigEndian(fresh.id(), 3)),
            Node.of("value", Map.of(), fresh.keyPair().publicKey()))),
        Node.of("skey", Map.of(), List.of(
            Node.of("id", Map.of(), bigEndian(primary.signedPreKey().id(), 3)),
            Node.of("value", Map.of(), primary.signedPreKey().keyPair().publicKey()),
            Node.of("signature", Map.of(), primary.signedPreKey().signature())))));
  }

  static byte[] bigEndian(int value, int length) {
    byte[] out = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }
}
