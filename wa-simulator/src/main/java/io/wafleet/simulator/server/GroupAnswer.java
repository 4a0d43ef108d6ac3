package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.group.Group;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.relay.Directory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers {@code <iq xmlns="w:g2" to=G type="get"><query request="interactive"/></iq>} (§10.7,
 * Baileys groups.ts {@code groupMetadata}/{@code extractGroupMetadata}, whatsmeow group.go
 * {@code getGroupInfo}): the group's attributes and one {@code <participant jid lid [type]/>} per
 * member, the creator {@code type="superadmin"}, in PN addressing. A device whose account is not a
 * member gets 403 forbidden, an unknown group 404 item-not-found; {@code to="@g.us"}
 * {@code <participating>} lists the groups the account is in. Other w:g2 iqs get 400
 * bad-request. Thread-safe (stateless).
 */
final class GroupAnswer {

  private final Directory directory;

  GroupAnswer(Directory directory) {
    this.directory = directory;
  }

  Node answer(Node iq, Jid asker) {
    String id = iq.attrOr("id", "");
    String to = iq.attrOr("to", "");
    String number = asker.user();
    if ("@g.us".equals(to) || Jid.GROUP_SERVER.equals(to)) {
      if (iq.child("participating") == null) {
        return error(id, to, 400, "bad-request");
      }
      List<Node> groups = directory.groups().of(number).stream().map(this::group).toList();
      return result(id, to, List.of(Node.of("groups", Map.of(), groups)));
    }
    Jid jid = Jid.tryParse(to);
    if (jid == null || !jid.isGroup() || !"get".equals(iq.attr("type"))
        || iq.child("query") == null) {
      return error(id, to, 400, "bad-request");
    }
    Optional<Group> group = directory.group(jid);
    if (group.isEmpty()) {
      return error(id, to, 404, "item-not-found");
    }
    if (!group.get().isMember(number)) {
      return error(id, to, 403, "forbidden");
    }
    return result(id, to, List.of(group(group.get())));
  }

  private Node group(Group group) {
    String creator = Jid.of(group.creator(), Jid.SERVER).toString();
    List<Node> participants = new ArrayList<>();
    for (String member : group.members()) {
      Optional<Phone> phone = directory.phone(member);
      if (phone.isEmpty()) {
        continue;
      }
      var attrs = Node.attrsOf("jid", phone.get().jid().toString(),
          "lid", phone.get().lid().toString());
      if (member.equals(group.creator())) {
        attrs.put("type", "superadmin");
      }
      participants.add(Node.of("participant", attrs));
    }
    return Node.of("group", Node.attrsOf("id", group.jid().user(), "creator", creator,
        "creation", Long.toString(group.creation()), "subject", group.subject(),
        "s_t", Long.toString(group.subjectTime()), "s_o", creator, "addressing_mode", "pn",
        "size", Integer.toString(participants.size())), participants);
  }

  private static Node result(String id, String from, List<Node> children) {
    return Node.of("iq", Node.attrsOf("from", from, "id", id, "type", "result"), children);
  }

  private static Node error(String id, String from, int code, String text) {
    return Node.of("iq", Node.attrsOf("from", from.isEmpty() ? Stanzas.SERVER : from,
        "type", "error", "id", id),
        List.of(Node.of("error", Node.attrsOf("code", Integer.toString(code), "text", text))));
  }
}
