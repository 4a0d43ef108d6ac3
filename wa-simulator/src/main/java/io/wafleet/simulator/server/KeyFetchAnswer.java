package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.relay.KeyBundles.Bundle;
import io.wafleet.simulator.relay.KeyBundles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the key fetch {@code <iq xmlns="encrypt" type="get"><key><user jid/>…</key></iq>} (§8.5):
 * one {@code <user jid>} per requested device (PN or LID, with or without device; none = 0) with
 * registration, type, identity, skey and, while one is left, a one-time {@code <key>} handed out
 * once. Only a device that does not exist gets {@code <error code="404" text="item-not-found"/>}.
 * Thread-safe (stateless over {@link KeyBundles}).
 */
final class KeyFetchAnswer {

  private final KeyBundles bundles;

  KeyFetchAnswer(KeyBundles bundles) {
    this.bundles = bundles;
  }

  Node answer(Node iq) {
    List<Node> users = new ArrayList<>();
    for (Node user : iq.child("key").children("user")) {
      String asked = user.attrOr("jid", "");
      Optional<Bundle> bundle = bundles.fetch(Jid.tryParse(asked));
      users.add(bundle.map(b -> bundleNode(asked, b)).orElseGet(() -> Node.of("user",
          Node.attrsOf("jid", asked), List.of(Node.of("error",
              Node.attrsOf("code", "404", "text", "item-not-found"))))));
    }
    return Stanzas.result(iq.attrOr("id", ""), List.of(Node.of("list", Map.of(), users)));
  }

  static Node bundleNode(String jid, Bundle bundle) {
    List<Node> children = new ArrayList<>();
    children.add(Node.of("registration", Map.of(), bigEndian(bundle.registrationId(), 4)));
    children.add(Node.of("type", Map.of(), new byte[] {5}));
    children.add(Node.of("identity", Map.of(), bundle.identityKey()));
    children.add(Node.of("skey", Map.of(), List.of(
        Node.of("id", Map.of(), bigEndian(bundle.signedPreKey().id(), 3)),
        Node.of("value", Map.of(), bundle.signedPreKey().publicKey()),
        Node.of("signature", Map.of(), bundle.signedPreKey().signature()))));
    if (bundle.preKey() != null) {
      children.add(Node.of("key", Map.of(), List.of(
          Node.of("id", Map.of(), bigEndian(bundle.preKey().id(), 3)),
          Node.of("value", Map.of(), bundle.preKey().publicKey()))));
    }
    return Node.of("user", Node.attrsOf("jid", jid), children);
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
