package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.LinkedDevice;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.relay.Directory;
import io.wafleet.simulator.server.Stats.Counter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers {@code <iq xmlns="usync">} (§8.3) at any time and for any context: the {@code devices}
 * protocol (device 0 and confirmed companions with their {@code key-index}), {@code lid} (the
 * account's LID, for PN and LID queries alike) and {@code contact} ({@code in}/{@code out}). Users
 * are asked by {@code jid} (PN or LID) or, for {@code contact}, by {@code <contact>+PHONE</contact>}.
 * Unknown users get an empty device list and no lid. Thread-safe (stateless).
 */
final class UsyncAnswer {

  private final Directory directory;
  private final Stats stats;

  UsyncAnswer(Directory directory, Stats stats) {
    this.directory = directory;
    this.stats = stats;
  }

  Node answer(Node iq) {
    String id = iq.attrOr("id", "");
    Node usync = iq.child("usync");
    if (usync == null || usync.child("query") == null || usync.child("list") == null) {
      return IqAnswers.error(id, 400, "bad-request");
    }
    stats.increment(Counter.USYNC_QUERIES);
    List<String> protocols = usync.child("query").children().stream().map(Node::tag).toList();
    List<Node> users = new ArrayList<>();
    for (Node user : usync.child("list").children("user")) {
      users.add(user(user, protocols));
    }
    Map<String, String> attrs = new LinkedHashMap<>(usync.attrs());
    return Stanzas.result(id, List.of(Node.of("usync", attrs, List.of(
        Node.of("list", Map.of(), users)))));
  }

  private Node user(Node asked, List<String> protocols) {
    Jid jid = Jid.tryParse(asked.attr("jid"));
    Node contact = asked.child("contact");
    if (jid == null && contact != null && contact.bytes() != null) {
      String phone = new String(contact.bytes(), StandardCharsets.UTF_8).replaceAll("[^0-9]", "");
      jid = phone.isEmpty() ? null : Jid.tryParse(phone + "@" + Jid.SERVER);
    }
    String echoed = jid != null ? jid.toString() : asked.attrOr("jid", "");
    Optional<Phone> phone = directory.account(jid);
    List<Node> answers = new ArrayList<>();
    for (String protocol : protocols) {
      switch (protocol) {
        case "devices" -> answers.add(devices(phone));
        case "lid" -> phone.ifPresent(p -> answers.add(Node.of("lid",
            Node.attrsOf("val", p.lid().toString()))));
        case "contact" -> answers.add(Node.of("contact",
            Node.attrsOf("type", phone.isPresent() ? "in" : "out")));
        default -> { } // status, disappearing_mode, business...: not simulated
      }
    }
    return Node.of("user", Node.attrsOf("jid", echoed), answers);
  }

  /** {@code <devices><device-list><device id="0"/><device id="N" key-index="K"/>…</device-list><key-index-list ts/></devices>}. */
  private static Node devices(Optional<Phone> phone) {
    List<Node> list = new ArrayList<>();
    long ts = 0;
    if (phone.isPresent()) {
      list.add(Node.of("device", Node.attrsOf("id", "0")));
      for (LinkedDevice device : phone.get().devices()) {
        if (device.confirmed()) {
          list.add(Node.of("device", Node.attrsOf("id", Integer.toString(device.deviceId()),
              "key-index", Integer.toString(Math.max(1, device.keyIndex())))));
          ts = Math.max(ts, device.linkedAt().getEpochSecond());
        }
      }
    }
    List<Node> children = new ArrayList<>();
    children.add(Node.of("device-list", Map.of(), list));
    if (phone.isPresent()) {
      children.add(Node.of("key-index-list", Node.attrsOf("ts", Long.toString(ts))));
    }
    return Node.of("devices", Map.of(), children);
  }
}
