package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.PhoneBook;
import io.wafleet.simulator.phone.PhoneBookException;
import java.util.List;
import java.util.Map;

/**
 * Answers for the iqs of a logged-in device (§7.2, §7.3, §8.3, §8.5, §11 items 6, 8–10), keyed by
 * {@code xmlns} and first child. Unknown iqs get an empty result echoing the id. Thread-safe
 * (stateless over the thread-safe phone book).
 */
final class IqAnswers {

  private final PhoneBook phones;
  private final Jid device;
  private final UsyncAnswer usync;
  private final KeyFetchAnswer keyFetch;
  private final GroupAnswer groups;

  IqAnswers(PhoneBook phones, Jid device, UsyncAnswer usync, KeyFetchAnswer keyFetch,
      GroupAnswer groups) {
    this.groups = groups;
    this.phones = phones;
    this.device = device;
    this.usync = usync;
    this.keyFetch = keyFetch;
  }

  Node answer(Node iq) {
    String id = iq.attrOr("id", "");
    String xmlns = iq.attrOr("xmlns", "");
    return switch (xmlns) {
      case "encrypt" -> encrypt(iq, id);
      case "usync" -> usync.answer(iq);
      case "w" -> iq.child("props") != null ? props(id) : Stanzas.result(id);
      case "blocklist" -> Stanzas.result(id, List.of(Node.of("list")));
      case "privacy" -> privacy(id);
      case "md" -> md(iq, id);
      case "w:g2" -> groups.answer(iq, device);
      case "w:sync:app:state" -> appState(iq, id);
      default -> Stanzas.result(id); // w:p ping, passive/active (§7.2) and anything unknown
    };
  }

  /** True when the iq was Baileys' {@code logout()}: remove-companion-device for itself (§7.6). */
  boolean removedSelf(Node iq) {
    Node remove = iq.child("remove-companion-device");
    return "md".equals(iq.attr("xmlns")) && remove != null
        && device.toString().equals(remove.attr("jid"));
  }

  private Node encrypt(Node iq, String id) {
    if (iq.child("count") != null) {
      String count = Integer.toString(phones.preKeyCount(device));
      return Stanzas.result(id, List.of(Node.of("count", Node.attrsOf("value", count))));
    }
    if (iq.child("digest") != null) {
      return Stanzas.result(id, List.of(Node.of("digest")));
    }
    if (iq.child("list") != null) {
      try {
        PreKeyUpload upload = PreKeyUpload.parse(iq);
        phones.storePreKeys(device, upload.signedPreKey(), upload.preKeys());
        return Stanzas.result(id);
      } catch (IllegalArgumentException | PhoneBookException e) {
        return error(id, 400, "bad-request");
      }
    }
    if (iq.child("key") != null) {
      return keyFetch.answer(iq);
    }
    return Stanzas.result(id);
  }

  private static Node props(String id) {
    return Stanzas.result(id, List.of(Node.of("props", Node.attrsOf("protocol", "2", "hash", "sim"))));
  }

  private static Node privacy(String id) {
    List<Node> categories = List.of(
        category("last", "all"), category("online", "all"), category("profile", "all"),
        category("status", "all"), category("groupadd", "all"), category("readreceipts", "all"),
        category("calladd", "all"));
    return Stanzas.result(id, List.of(Node.of("privacy", Map.of(), categories)));
  }

  private static Node category(String name, String value) {
    return Node.of("category", Node.attrsOf("name", name, "value", value));
  }

  private Node md(Node iq, String id) {
    if (removedSelf(iq)) {
      try {
        phones.unlink(device);
      } catch (PhoneBookException e) {
        // Already gone: the result is the same.
      }
    }
    return Stanzas.result(id);
  }

  /**
   * App-state sync (§9.6): the simulated account keeps no app state, so each collection asked for
   * is answered at the version the client has, with no patches, no snapshot and no more to come
   * ({@code <sync><collection name version/>…</sync>}, the shape Baileys' chat-utils
   * {@code extractSyncdPatches} reads).
   */
  private static Node appState(Node iq, String id) {
    Node sync = iq.child("sync");
    List<Node> collections = new java.util.ArrayList<>();
    if (sync != null) {
      for (Node collection : sync.children("collection")) {
        String name = collection.attr("name");
        if (name != null && !name.isEmpty()) {
          collections.add(Node.of("collection", Node.attrsOf("name", name,
              "version", collection.attrOr("version", "0"))));
        }
      }
    }
    return Stanzas.result(id, List.of(Node.of("sync", Map.of(), collections)));
  }

  static Node error(String id, int code, String text) {
    return Node.of("iq", Node.attrsOf("from", Stanzas.SERVER, "type", "error", "id", id),
        List.of(Node.of("error", Node.attrsOf("code", Integer.toString(code), "text", text))));
  }
}
