package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builders for the stanzas the relay sends (§7.4, §8.8, §9.1, §9.5). Stateless; thread-safe.
 */
final class RelayStanzas {

  static final String SERVER = Jid.SERVER_JID.toString();

  private RelayStanzas() {}

  /** {@code <ack class="message" id from=<to> t [error]/>} (§8.8). */
  static Node messageAck(String id, String from, long t, Integer error) {
    Map<String, String> attrs = Node.attrsOf("class", "message", "id", id, "from", from,
        "t", Long.toString(t));
    if (error != null) {
      attrs.put("error", error.toString());
    }
    return Node.of("ack", attrs);
  }

  /** {@code <ack class="receipt" id from [type]/>} (§11 item 12). */
  static Node receiptAck(String id, String from, String type) {
    Map<String, String> attrs = Node.attrsOf("class", "receipt", "id", id, "from", from);
    if (type != null) {
      attrs.put("type", type);
    }
    return Node.of("ack", attrs);
  }

  /**
   * The copy one device receives (§9.1): {@code <message from id t type [recipient] [notify]
   * sender_lid|sender_pn>} with the encs for it and the sender's device identity. {@code from} is
   * the sender device in the form the message was addressed in; the other form of the sender's
   * account goes along as {@code sender_lid} (PN-addressed) or {@code sender_pn} (LID-addressed),
   * and its push name as {@code notify} when it has one (whatsmeow message.go
   * {@code parseMessageSource}/{@code parseMessageInfo}, Baileys decode-wa-message.ts
   * {@code extractAddressingContext}).
   */
  static Node delivered(Envelope envelope, DeviceAddress sender, boolean lidForm, String recipient,
      List<Node> encs, long t) {
    Map<String, String> attrs = Node.attrsOf("from", sender.jid(lidForm).toString(),
        "id", envelope.id(), "t", Long.toString(t), "type", envelope.type());
    if (recipient != null) {
      attrs.put("recipient", recipient);
    }
    if (envelope.category() != null) {
      attrs.put("category", envelope.category());
    }
    String pushName = sender.phone().pushName();
    if (pushName != null) {
      attrs.put("notify", pushName);
    }
    if (lidForm) {
      attrs.put("sender_pn", sender.user(false).toString());
    } else {
      attrs.put("sender_lid", sender.user(true).toString());
    }
    List<Node> children = new ArrayList<>(encs);
    if (envelope.deviceIdentity() != null) {
      children.add(envelope.deviceIdentity());
    }
    return Node.of("message", attrs, children);
  }

  /**
   * The copy of a group message one member device receives (§10.7): {@code <message from=G
   * participant=S[:dev] id t type addressing_mode [notify] participant_lid|participant_pn>} with
   * its encs and the sender's device identity (Baileys decode-wa-message.ts
   * {@code decodeMessageNode}, {@code extractAddressingContext}).
   */
  static Node groupDelivered(Envelope envelope, io.wafleet.simulator.group.Group group,
      DeviceAddress sender, boolean lidForm, List<Node> encs, long t) {
    Map<String, String> attrs = Node.attrsOf("from", group.jid().toString(),
        "participant", sender.jid(lidForm).toString(), "id", envelope.id(), "t", Long.toString(t),
        "type", envelope.type(), "addressing_mode", lidForm ? "lid" : "pn");
    String pushName = sender.phone().pushName();
    if (pushName != null) {
      attrs.put("notify", pushName);
    }
    if (lidForm) {
      attrs.put("participant_pn", sender.user(false).toString());
    } else {
      attrs.put("participant_lid", sender.user(true).toString());
    }
    List<Node> children = new ArrayList<>(encs);
    if (envelope.deviceIdentity() != null) {
      children.add(envelope.deviceIdentity());
    }
    return Node.of("message", attrs, children);
  }

  /**
   * A member's receipt for a group message as forwarded to the sender (§10.7): {@code <receipt
   * from=G participant=R[:dev] id t [type]>}, children kept.
   */
  static Node groupReceipt(Node receipt, String group, Jid participant, long t) {
    Map<String, String> attrs = Node.attrsOf("from", group, "participant", participant.toString(),
        "id", receipt.attr("id"), "t", Long.toString(t));
    String type = receipt.attr("type");
    if (type != null && !"inactive".equals(type)) {
      attrs.put("type", type);
    }
    return receipt.hasChildren() ? Node.of("receipt", attrs, receipt.children())
        : Node.of("receipt", attrs);
  }

  /**
   * {@code <notification from=G type="w:gp2" id t participant=ADMIN><add|remove><participant
   * jid/>…</add|remove></notification>} (§10.7, Baileys messages-recv.ts
   * {@code handleGroupNotification}).
   */
  static Node groupChange(String group, String id, String admin, String action,
      List<DeviceAddress> who, long t) {
    List<Node> participants = who.stream().map(member -> Node.of("participant", Node.attrsOf(
        "jid", member.user(false).toString(), "lid", member.user(true).toString()))).toList();
    return Node.of("notification", Node.attrsOf("from", group, "type", "w:gp2", "id", id,
        "t", Long.toString(t), "participant", admin),
        List.of(Node.of(action, Map.of(), participants)));
  }

  /**
   * A receipt as forwarded to the sender (§9.5): {@code from} the recipient device, {@code inactive}
   * turned into a plain delivery, other types and children (retry's {@code <retry>},
   * {@code <registration>}, {@code <keys>}; read's {@code <list>}) kept.
   */
  static Node forwardedReceipt(Node receipt, Jid from, String recipient, long t) {
    Map<String, String> attrs = Node.attrsOf("from", from.toString(), "id", receipt.attr("id"),
        "t", Long.toString(t));
    String type = receipt.attr("type");
    if (type != null && !"inactive".equals(type)) {
      attrs.put("type", type);
    }
    if (recipient != null) {
      attrs.put("recipient", recipient);
    }
    return receipt.hasChildren() ? Node.of("receipt", attrs, receipt.children())
        : Node.of("receipt", attrs);
  }

  /**
   * The same receipt narrowed to {@code ids} (first as {@code id}, the rest in
   * {@code <list><item id/>}), other attributes kept (§9.3).
   */
  static Node receiptFor(Node receipt, List<String> ids) {
    Map<String, String> attrs = new LinkedHashMap<>(receipt.attrs());
    attrs.put("id", ids.get(0));
    if (ids.size() == 1) {
      return Node.of("receipt", attrs);
    }
    List<Node> items = ids.subList(1, ids.size()).stream()
        .map(each -> Node.of("item", Node.attrsOf("id", each))).toList();
    return Node.of("receipt", attrs, List.of(Node.of("list", Map.of(), items)));
  }

  /** Marks a queued stanza as delivered from the offline queue (§7.4). */
  static Node offline(Node stanza) {
    Map<String, String> attrs = new LinkedHashMap<>(stanza.attrs());
    attrs.put("offline", "1");
    return new Node(stanza.tag(), attrs, stanza.content());
  }

  /** {@code <ib><offline count="N"/></ib>} (§7.4). */
  static Node offlineMarker(int count) {
    return Node.of("ib", Map.of(), List.of(Node.of("offline",
        Node.attrsOf("count", Integer.toString(count)))));
  }
}
