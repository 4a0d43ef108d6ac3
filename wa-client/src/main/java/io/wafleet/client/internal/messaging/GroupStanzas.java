package io.wafleet.client.internal.messaging;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.GroupMetadata;
import io.wafleet.client.model.GroupParticipant;
import io.wafleet.client.model.Jid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The group stanzas (docs/protocol.md §10.7): the {@code w:g2} metadata query and its answer,
 * the group message with its {@code skmsg} and the sender-key carriers, and the delivery receipt
 * of a group message. Pure functions; thread-safe.
 */
final class GroupStanzas {

  /** A group answer that cannot be read. */
  static final class MalformedGroupException extends io.wafleet.client.WaException {
    private static final long serialVersionUID = 1L;

    MalformedGroupException(String message) {
      super(message);
    }
  }

  private GroupStanzas() {
  }

  /**
   * {@code <iq to=G type="get" xmlns="w:g2"><query request="interactive"/></iq>} (Baileys
   * src/Socket/groups.ts {@code groupMetadata}, whatsmeow group.go {@code getGroupInfo}).
   */
  static Node metadataQuery(Jid group) {
    return Node.of("iq", Node.attrsOf("to", group.toString(), "type", "get", "xmlns", "w:g2"),
        List.of(Node.of("query", Node.attrsOf("request", "interactive"))));
  }

  /**
   * Reads {@code <group id creator creation subject addressing_mode><participant jid [type]/>…}
   * (Baileys groups.ts {@code extractGroupMetadata}): the id is the local part, or a full JID.
   *
   * @throws MalformedGroupException without a {@code <group>}, or with an unreadable member
   */
  static GroupMetadata parseMetadata(Jid asked, Node reply) {
    Node group = reply.child("group");
    if (group == null) {
      throw new MalformedGroupException("group metadata without <group>");
    }
    String rawId = group.attrOr("id", asked.user());
    Jid id = rawId.contains("@") ? Jid.tryParse(rawId) : Jid.of(rawId, Jid.GROUP_SERVER);
    if (id == null || !id.isGroup()) {
      throw new MalformedGroupException("group metadata with a malformed id");
    }
    List<GroupParticipant> participants = new ArrayList<>();
    for (Node p : group.children("participant")) {
      Jid jid = Jid.tryParse(p.attr("jid"));
      if (jid == null || !(jid.isUser() || jid.isLid())) {
        throw new MalformedGroupException("group participant with a malformed jid");
      }
      String type = p.attrOr("type", "");
      boolean superAdmin = "superadmin".equals(type);
      participants.add(new GroupParticipant(jid.toNonDevice(), superAdmin || "admin".equals(type),
          superAdmin));
    }
    Jid creator = Jid.tryParse(group.attr("creator"));
    return new GroupMetadata(id, group.attrOr("subject", ""),
        creator == null ? null : creator.toNonDevice(), seconds(group.attr("creation")),
        participants, "lid".equals(group.attr("addressing_mode")) ? "lid" : "pn");
  }

  /**
   * {@code <message id to=G type="text" addressing_mode><enc v="2" type="skmsg"/>
   * [<participants><to jid><enc pkmsg|msg/></to>…</participants>][<device-identity/>]}: the
   * pairwise copies carry only the sender-key distribution message; device-identity iff one of
   * them is a pkmsg (Baileys src/Socket/messages-send.ts {@code relayMessage}, group branch;
   * whatsmeow send.go {@code sendGroup}).
   */
  static Node message(String id, Jid group, String addressingMode, byte[] skmsg,
      List<MessageStanzas.DeviceCopy> copies, byte[] deviceIdentity) {
    List<Node> children = new ArrayList<>();
    children.add(MessageStanzas.enc("skmsg", skmsg, null));
    boolean anyPreKey = false;
    if (!copies.isEmpty()) {
      List<Node> to = new ArrayList<>();
      for (MessageStanzas.DeviceCopy copy : copies) {
        anyPreKey |= "pkmsg".equals(copy.encType());
        to.add(Node.of("to", Node.attrsOf("jid", copy.device().toString()),
            List.of(MessageStanzas.enc(copy.encType(), copy.ciphertext(), null))));
      }
      children.add(Node.of("participants", Map.of(), to));
    }
    if (anyPreKey && deviceIdentity != null) {
      children.add(Node.of("device-identity", Map.of(), deviceIdentity));
    }
    return Node.of("message", Node.attrsOf("id", id, "to", group.toString(), "type", "text",
        "addressing_mode", addressingMode), children);
  }

  /**
   * The delivery receipt of a group message: {@code <receipt id to=G participant=<author
   * device> [type="sender"]/>}, {@code type="sender"} when one of our own devices wrote it
   * (Baileys messages-send.ts {@code sendReceipt}, messages-recv.ts {@code handleMessage}).
   */
  static Node deliveryReceipt(String id, Jid group, Jid author, boolean fromMe) {
    Map<String, String> attrs = Node.attrsOf("id", id, "to", group.toString(),
        "participant", author.toString());
    if (fromMe) {
      attrs.put("type", "sender");
    }
    return Node.of("receipt", attrs);
  }

  private static Instant seconds(String value) {
    try {
      return value == null ? null : Instant.ofEpochSecond(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
