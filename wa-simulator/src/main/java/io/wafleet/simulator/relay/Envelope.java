package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's {@code <message>} stanza as the relay reads it (§8.7, §9.4, §10.7): id, {@code to},
 * type, one {@link Target} per addressed device ({@code <participants><to jid><enc/></to>}, plus a
 * top-level {@code <enc>} addressed to {@code to} for retry resends), the optional
 * {@code recipient}, {@code <device-identity>} and {@code category} ({@code peer} between one
 * account's devices). To a group, the top-level {@code <enc>}s (the
 * {@code skmsg}) are {@code shared} by every member device, unless the stanza names one
 * {@code participant} (a retry resend to that device only, Baileys messages-send.ts
 * {@code relayMessage}). Immutable; thread-safe.
 */
record Envelope(String id, Jid to, String type, List<Target> targets, String recipient,
    Node deviceIdentity, List<Node> shared, String addressingMode, String category) {

  /** {@code enc} types the relay carries (§8.6, §9.1, §10.4). */
  static final Set<String> ENC_TYPES = Set.of("pkmsg", "msg", "skmsg", "msmsg", "frskmsg");

  /** One device and the {@code <enc>} nodes for it. */
  record Target(Jid device, List<Node> encs) {}

  /** A stanza the relay refuses: the ack carries {@code error=code}; {@code reason} is logged. */
  static final class Rejected extends Exception {
    private final int code;

    Rejected(int code, String reason) {
      super(reason, null, false, false);
      this.code = code;
    }

    int code() {
      return code;
    }
  }

  Envelope {
    targets = List.copyOf(targets);
    shared = List.copyOf(shared);
  }

  /** Reads a message stanza; throws {@link Rejected} (400) when it is malformed. */
  static Envelope parse(Node message) throws Rejected {
    String id = message.attr("id");
    Jid to = Jid.tryParse(message.attr("to"));
    if (id == null || id.isEmpty()) {
      throw new Rejected(400, "message without id");
    }
    if (to == null) {
      throw new Rejected(400, "message without a valid to");
    }
    Map<String, Target> targets = new LinkedHashMap<>();
    Node participants = message.child("participants");
    if (participants != null) {
      for (Node entry : participants.children("to")) {
        Jid device = Jid.tryParse(entry.attr("jid"));
        if (device == null) {
          throw new Rejected(400, "participant without a valid jid");
        }
        targets.putIfAbsent(device.toString(), new Target(device, encs(entry)));
      }
    }
    List<Node> topLevel = message.children("enc");
    List<Node> shared = List.of();
    if (!topLevel.isEmpty()) {
      checkTypes(topLevel);
      if (to.isGroup() && message.attr("participant") == null) {
        if (topLevel.stream().anyMatch(enc -> !"skmsg".equals(enc.attr("type")))) {
          throw new Rejected(400, "a group message's own enc must be skmsg");
        }
        shared = topLevel;
      } else {
        Jid device = to.isGroup() ? Jid.tryParse(message.attr("participant")) : to;
        if (device == null || device.isGroup()) {
          throw new Rejected(400, "participant without a valid jid");
        }
        targets.putIfAbsent(device.withDevice(device.deviceId()).toString(),
            new Target(device, topLevel));
      }
    }
    if (targets.isEmpty() && shared.isEmpty()) {
      throw new Rejected(400, "message addresses no device");
    }
    return new Envelope(id, to, message.attrOr("type", "text"), new ArrayList<>(targets.values()),
        message.attr("recipient"), message.child("device-identity"), shared,
        message.attrOr("addressing_mode", "pn"), message.attr("category"));
  }

  private static List<Node> encs(Node entry) throws Rejected {
    List<Node> encs = entry.children("enc");
    if (encs.isEmpty()) {
      throw new Rejected(400, "participant without enc");
    }
    checkTypes(encs);
    return encs;
  }

  private static void checkTypes(List<Node> encs) throws Rejected {
    for (Node enc : encs) {
      if (!ENC_TYPES.contains(enc.attrOr("type", "")) || !(enc.content() instanceof byte[])) {
        throw new Rejected(400, "enc with unknown type or no ciphertext");
      }
    }
  }

  /** The chat: {@code to} without its device. */
  Jid chat() {
    return to.toNonDevice();
  }
}
