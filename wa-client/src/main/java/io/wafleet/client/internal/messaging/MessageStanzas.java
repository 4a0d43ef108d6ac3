package io.wafleet.client.internal.messaging;

import io.wafleet.client.binary.Node;
import io.wafleet.client.internal.WireProtocol;
import io.wafleet.client.model.Jid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the messaging stanzas wa-client sends (§8.7, §9.3, §9.4): the fan-out message, delivery
 * receipts, receipt and message acks, retry receipts. Pure functions; thread-safe.
 */
final class MessageStanzas {

  /** One encrypted copy: the device JID it goes to, {@code pkmsg} or {@code msg}, the bytes. */
  record DeviceCopy(Jid device, String encType, byte[] ciphertext) {
  }

  /** The one-time pre-key, signed pre-key and identity a retry receipt carries (§9.4). */
  record RetryKeys(byte[] identity, int preKeyId, byte[] preKey, int signedPreKeyId,
      byte[] signedPreKey, byte[] signature, byte[] deviceIdentity) {
  }

  /** {@code error} of a message ack for a message we could not handle (§9.3). */
  static final String NACK_UNHANDLED = "500";

  private MessageStanzas() {
  }

  /**
   * {@code <message id to type="text"><participants><to jid><enc v="2" type/></to>…</participants>
   * [<device-identity/>]</message>}; device-identity iff a copy is a pkmsg (§8.7).
   */
  static Node message(String id, Jid chat, List<DeviceCopy> copies, byte[] deviceIdentity) {
    List<Node> to = new ArrayList<>();
    boolean anyPreKey = false;
    for (DeviceCopy copy : copies) {
      anyPreKey |= "pkmsg".equals(copy.encType());
      to.add(Node.of("to", Node.attrsOf("jid", copy.device().toString()),
          List.of(enc(copy.encType(), copy.ciphertext(), null))));
    }
    List<Node> children = new ArrayList<>();
    children.add(Node.of("participants", Map.of(), to));
    if (anyPreKey && deviceIdentity != null) {
      children.add(Node.of("device-identity", Map.of(), deviceIdentity));
    }
    return Node.of("message", Node.attrsOf("id", id, "to", chat.toString(), "type", "text"),
        children);
  }

  static Node enc(String type, byte[] ciphertext, Integer count) {
    Map<String, String> attrs = Node.attrsOf("v", "2", "type", type);
    if (count != null) {
      attrs.put("count", Integer.toString(count));
    }
    return Node.of("enc", attrs, ciphertext);
  }

  /**
   * The delivery receipt for a received message (§9.3): {@code <receipt id to=<sender device>/>};
   * for a copy from one of our own devices {@code type="sender"} and {@code recipient=<chat>}.
   */
  static Node deliveryReceipt(String id, Jid senderDevice, Jid ownCopyChat) {
    Map<String, String> attrs = Node.attrsOf("id", id, "to", senderDevice.toString());
    if (ownCopyChat != null) {
      attrs.put("type", "sender");
      attrs.put("recipient", ownCopyChat.toString());
    }
    return Node.of("receipt", attrs);
  }

  /**
   * A read receipt (§9.3): {@code <receipt id=FIRST to=<chat> type="read" t=<seconds>
   * [participant=<author>]>[<list><item id/>…</list>]</receipt>}; {@code participant} only for
   * chats that are not 1:1 (Baileys messages-send.ts {@code sendReceipt}, whatsmeow receipt.go
   * {@code MarkRead}).
   */
  static Node readReceipt(Jid chat, Jid author, List<String> ids, long seconds) {
    Map<String, String> attrs = Node.attrsOf("id", ids.get(0), "to", chat.toString(),
        "type", "read", "t", Long.toString(seconds));
    if (author != null && !chat.isUser() && !chat.isLid()) {
      attrs.put("participant", author.toNonDevice().toString());
    }
    if (ids.size() == 1) {
      return Node.of("receipt", attrs);
    }
    List<Node> items = ids.subList(1, ids.size()).stream()
        .map(id -> Node.of("item", Node.attrsOf("id", id))).toList();
    return Node.of("receipt", attrs, List.of(Node.of("list", Map.of(), items)));
  }

  /** {@code <ack class=<tag> id to=<from> [type] [participant] [error]>} for a received node (§9.3). */
  static Node ackFor(Node received, String error) {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("id", received.attrOr("id", ""));
    attrs.put("to", received.attrOr("from", WireProtocol.SERVER));
    attrs.put("class", received.tag());
    copy(received, attrs, "type");
    copy(received, attrs, "participant");
    if (error != null) {
      attrs.put("error", error);
    }
    return Node.of("ack", attrs);
  }

  /**
   * A retry receipt (§9.4): {@code <receipt id type="retry" to=<from> [recipient]><retry count id
   * t v="1" error="0"/><registration/>[<keys>…</keys>]</receipt>}.
   */
  static Node retryReceipt(Node message, int count, int registrationId, RetryKeys keys) {
    String id = message.attrOr("id", "");
    Map<String, String> attrs = Node.attrsOf("id", id, "type", "retry",
        "to", message.attrOr("from", ""));
    copy(message, attrs, "recipient");
    copy(message, attrs, "participant");
    List<Node> children = new ArrayList<>();
    children.add(Node.of("retry", Node.attrsOf("count", Integer.toString(count), "id", id,
        "t", message.attrOr("t", "0"), "v", "1", "error", "0")));
    children.add(Node.of("registration", Map.of(), WireProtocol.bigEndian(registrationId, 4)));
    if (keys != null) {
      children.add(keysNode(keys));
    }
    return Node.of("receipt", attrs, children);
  }

  private static Node keysNode(RetryKeys keys) {
    List<Node> children = new ArrayList<>();
    children.add(Node.of("type", Map.of(), new byte[] {WireProtocol.KEY_BUNDLE_TYPE}));
    children.add(Node.of("identity", Map.of(), keys.identity()));
    children.add(Node.of("key", Map.of(), List.of(
        Node.of("id", Map.of(), WireProtocol.bigEndian(keys.preKeyId(), 3)),
        Node.of("value", Map.of(), keys.preKey()))));
    children.add(Node.of("skey", Map.of(), List.of(
        Node.of("id", Map.of(), WireProtocol.bigEndian(keys.signedPreKeyId(), 3)),
        Node.of("value", Map.of(), keys.signedPreKey()),
        Node.of("signature", Map.of(), keys.signature()))));
    if (keys.deviceIdentity() != null) {
      children.add(Node.of("device-identity", Map.of(), keys.deviceIdentity()));
    }
    return Node.of("keys", Map.of(), children);
  }

  /** The usync device + LID query for {@code users} (§8.3). */
  static Node usyncDevices(String sid, List<Jid> users) {
    List<Node> list = users.stream()
        .map(u -> Node.of("user", Node.attrsOf("jid", u.toString()))).toList();
    Node query = Node.of("query", Map.of(), List.of(
        Node.of("devices", Node.attrsOf("version", "2")), Node.of("lid")));
    Node usync = Node.of("usync", Node.attrsOf("context", "message", "mode", "query",
        "sid", sid, "last", "true", "index", "0"),
        List.of(query, Node.of("list", Map.of(), list)));
    return Node.of("iq", Node.attrsOf("to", WireProtocol.SERVER, "type", "get",
        "xmlns", "usync"), List.of(usync));
  }

  /** The pre-key bundle fetch for {@code devices} (§8.5). */
  static Node keyFetch(List<Jid> devices) {
    List<Node> users = devices.stream()
        .map(d -> Node.of("user", Node.attrsOf("jid", d.toString()))).toList();
    return Node.of("iq", Node.attrsOf("xmlns", "encrypt", "type", "get",
        "to", WireProtocol.SERVER), List.of(Node.of("key", Map.of(), users)));
  }

  private static void copy(Node from, Map<String, String> to, String name) {
    String value = from.attr(name);
    if (value != null) {
      to.put(name, value);
    }
  }
}
