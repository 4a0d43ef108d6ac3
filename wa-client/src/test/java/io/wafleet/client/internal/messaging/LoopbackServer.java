package io.wafleet.client.internal.messaging;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.IqErrorException;
import io.wafleet.client.SendResult;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.internal.DeviceAuth;
import io.wafleet.client.internal.IqRequests;
import io.wafleet.client.internal.NodeChannel;
import io.wafleet.client.internal.NodeDispatcher;
import io.wafleet.client.internal.TaskScheduler;
import io.wafleet.client.internal.WireProtocol;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.signal.PreKeyRecord;
import io.wafleet.client.transport.BaileysCompatibleCertificateVerifier;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A tiny in-process WhatsApp server for messaging unit tests: answers usync and key fetches from
 * the parties' own auth states, relays message copies and receipts, acks messages. Work is queued
 * and runs on {@link #drain}, so nothing re-enters a party. Not thread-safe: one test thread.
 */
final class LoopbackServer {

  private final Deque<Runnable> queue = new ArrayDeque<>();
  private final Map<String, Party> byDevice = new LinkedHashMap<>();
  private int nextPreKeyId = 1000;
  /** Every node the server relayed to a party, in order (for shape assertions). */
  final List<Node> relayed = new ArrayList<>();
  /** Applied once to the next relayed message copy, then cleared. */
  java.util.function.UnaryOperator<Node> tamper;
  /** Groups: JID → member user JIDs, in order (the first is the creator). */
  final Map<Jid, List<Jid>> groups = new LinkedHashMap<>();

  /** A group of those members' users (the first is the creator); returns its JID. */
  Jid group(String localPart, Party... members) {
    Jid group = Jid.of(localPart, Jid.GROUP_SERVER);
    List<Jid> users = new ArrayList<>();
    for (Party member : members) {
      if (!users.contains(member.me.toNonDevice())) {
        users.add(member.me.toNonDevice());
      }
    }
    groups.put(group, users);
    return group;
  }

  /**
   * Removes {@code removed}'s user from {@code group} and notifies every device of the members
   * left ({@code w:gp2} remove).
   */
  void removeMember(Jid group, Party removed) {
    groups.get(group).remove(removed.me.toNonDevice());
    for (Party party : parties()) {
      if (groups.get(group).contains(party.me.toNonDevice())) {
        deliver(party, Node.of("notification", Node.attrsOf("from", group.toString(),
            "type", "w:gp2", "id", "n" + nextPreKeyId++, "t", "1700000003"),
            List.of(Node.of("remove", Map.of(), List.of(Node.of("participant",
                Node.attrsOf("jid", removed.me.toNonDevice().toString())))))));
      }
    }
  }

  private List<Party> parties() {
    return new ArrayList<>(new java.util.LinkedHashSet<>(byDevice.values()));
  }

  Party party(String pnUser, String lidUser, int device) {
    Jid me = Jid.of(pnUser, device, Jid.SERVER);
    Jid lid = Jid.of(lidUser, device, Jid.LID_SERVER);
    return register(new Party(me, lid, new InMemoryAuthState(Credentials.generate(
        new SecureRandom()).toBuilder().me(me).lid(lid).account(new byte[] {1, 2, 3}).build()),
        MessagingState.MAX_UNACKED));
  }

  /**
   * A process restart of {@code crashed}: a new party on the same auth state (credentials and
   * key store), with nothing of the old one's memory; the old one gets nothing more.
   */
  Party restart(Party crashed) {
    return restart(crashed, MessagingState.MAX_UNACKED);
  }

  /** As {@link #restart(Party)}, holding at most {@code maxUnacked} unacknowledged messages. */
  Party restart(Party crashed, int maxUnacked) {
    return register(new Party(crashed.me, crashed.lid, crashed.auth, maxUnacked));
  }

  private Party register(Party party) {
    byDevice.put(party.me.toString(), party);
    byDevice.put(party.lid.toString(), party);
    return party;
  }

  /** Runs queued work until none is left. */
  void drain() {
    Runnable next;
    while ((next = queue.poll()) != null) {
      next.run();
    }
  }

  private Party find(String jid) {
    Jid parsed = Jid.parse(jid);
    Party party = byDevice.get(parsed.withDevice(parsed.deviceId()).toString());
    return party != null ? party : byDevice.get(parsed.toString());
  }

  private void route(Party from, Node node) {
    switch (node.tag()) {
      case "message" -> relayMessage(from, node);
      case "receipt" -> relayReceipt(from, node);
      default -> { }
    }
  }

  private void relayMessage(Party from, Node message) {
    String id = message.attr("id");
    Jid chat = Jid.parse(message.attr("to"));
    if (chat.isGroup()) {
      relayGroupMessage(from, chat, message);
      return;
    }
    for (Node to : message.child("participants").children("to")) {
      Party target = find(to.attr("jid"));
      if (target == null) {
        continue;
      }
      Map<String, String> attrs = Node.attrsOf("from", from.me.toString(), "id", id,
          "t", "1700000000", "type", "text", "notify", "Tester");
      if (target.me.user().equals(from.me.user())) {
        attrs.put("recipient", chat.toString());
      }
      List<Node> children = new ArrayList<>(to.children());
      Node identity = message.child("device-identity");
      if (identity != null) {
        children.add(identity);
      }
      Node copy = Node.of("message", attrs, children);
      if (tamper != null) {
        copy = tamper.apply(copy);
        tamper = null;
      }
      deliver(target, copy);
    }
    deliver(from, Node.of("ack", Node.attrsOf("class", "message", "id", id,
        "from", chat.toString(), "t", "1700000001")));
  }

  /** A group message to every member device but the sender's, as the simulator relays it. */
  private void relayGroupMessage(Party from, Jid group, Node message) {
    String id = message.attr("id");
    List<Jid> members = groups.getOrDefault(group, List.of());
    if (!members.contains(from.me.toNonDevice())) {
      deliver(from, Node.of("ack", Node.attrsOf("class", "message", "id", id,
          "from", group.toString(), "error", "403")));
      return;
    }
    Map<String, Node> pairwise = new LinkedHashMap<>();
    String only = message.attr("participant");
    Node top = message.child("enc");
    if (only != null && top != null && !"skmsg".equals(top.attr("type"))) {
      pairwise.put(only, top);
    }
    Node participants = message.child("participants");
    if (participants != null) {
      for (Node to : participants.children("to")) {
        pairwise.put(Jid.parse(to.attr("jid")).toString(), to.child("enc"));
      }
    }
    for (Party target : parties()) {
      if (target == from || !members.contains(target.me.toNonDevice())
          || (only != null && !target.me.toString().equals(only))) {
        continue;
      }
      List<Node> children = new ArrayList<>();
      Node enc = pairwise.get(target.me.toString());
      if (enc != null) {
        children.add(enc);
      }
      Node skmsg = message.child("enc");
      if (skmsg != null && "skmsg".equals(skmsg.attr("type"))) {
        children.add(skmsg);
      }
      if (children.isEmpty()) {
        continue;
      }
      Node copy = Node.of("message", Node.attrsOf("from", group.toString(),
          "participant", from.me.toString(), "id", id, "t", "1700000000", "type", "text",
          "notify", "Tester", "addressing_mode", "pn"), children);
      if (tamper != null) {
        copy = tamper.apply(copy);
        tamper = null;
      }
      deliver(target, copy);
    }
    deliver(from, Node.of("ack", Node.attrsOf("class", "message", "id", id,
        "from", group.toString(), "t", "1700000001")));
  }

  private void relayReceipt(Party from, Node receipt) {
    Jid to = Jid.parse(receipt.attr("to"));
    if (to.isGroup()) {
      Party author = find(receipt.attr("participant"));
      if (author != null) {
        Map<String, String> attrs = Node.attrsOf("from", to.toString(),
            "participant", from.me.toString(), "id", receipt.attr("id"), "t", "1700000002");
        if (receipt.attr("type") != null) {
          attrs.put("type", receipt.attr("type"));
        }
        deliver(author, Node.of("receipt", attrs));
      }
      return;
    }
    Party target = find(receipt.attr("to"));
    if (target == null) {
      return;
    }
    Map<String, String> attrs = Node.attrsOf("from", from.me.toString(), "id", receipt.attr("id"),
        "t", "1700000002");
    String type = receipt.attr("type");
    if (type != null && !"inactive".equals(type)) {
      attrs.put("type", type);
    }
    Object content = receipt.content();
    deliver(target, content instanceof List<?> ? Node.of("receipt", attrs, receipt.children())
        : Node.of("receipt", attrs));
  }

  /** The nodes relayed to {@code party}'s device, in order. */
  List<Node> relayedTo(Party party) {
    return delivered.stream().filter(d -> d.getKey() == party).map(Map.Entry::getValue).toList();
  }

  private final List<Map.Entry<Party, Node>> delivered = new ArrayList<>();

  void deliver(Party target, Node node) {
    queue.add(() -> {
      relayed.add(node);
      delivered.add(Map.entry(target, node));
      target.dispatcher.dispatch(node);
    });
  }

  /** The answer to {@code iq} from {@code asker}, or null for an error reply (set in the array). */
  private Node answer(Party asker, Node iq, IqErrorException[] error) {
    if ("w:g2".equals(iq.attr("xmlns"))) {
      Jid group = Jid.parse(iq.attr("to"));
      List<Jid> members = groups.get(group);
      if (members == null || !members.contains(asker.me.toNonDevice())) {
        error[0] = new IqErrorException(members == null ? 404 : 403,
            members == null ? "item-not-found" : "forbidden");
        return null;
      }
      List<Node> participants = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        participants.add(i == 0 ? Node.of("participant", Node.attrsOf("jid",
            members.get(i).toString(), "type", "superadmin"))
            : Node.of("participant", Node.attrsOf("jid", members.get(i).toString())));
      }
      return Node.of("iq", Node.attrsOf("type", "result", "from", group.toString()), List.of(
          Node.of("group", Node.attrsOf("id", group.user(), "creator",
              members.get(0).toString(), "creation", "1700000000", "subject", "Loopback group",
              "addressing_mode", "pn", "size", Integer.toString(members.size())),
              participants)));
    }
    return answer(iq);
  }

  private Node answer(Node iq) {
    Node first = iq.children().get(0);
    if (first.tag().equals("usync")) {
      List<Node> users = new ArrayList<>();
      for (Node user : first.child("list").children("user")) {
        users.add(usyncUser(Jid.parse(user.attr("jid"))));
      }
      return Node.of("iq", Node.attrsOf("type", "result"), List.of(Node.of("usync", Map.of(),
          List.of(Node.of("list", Map.of(), users)))));
    }
    List<Node> users = new ArrayList<>();
    for (Node user : first.children("user")) {
      Party party = find(user.attr("jid"));
      users.add(bundle(user.attr("jid"), party));
    }
    return Node.of("iq", Node.attrsOf("type", "result"), List.of(Node.of("list", Map.of(), users)));
  }

  private Node usyncUser(Jid user) {
    List<Node> devices = new ArrayList<>();
    String lid = null;
    for (Party party : new java.util.LinkedHashSet<>(byDevice.values())) {
      if (party.me.user().equals(user.user())) {
        int device = party.me.deviceId();
        devices.add(device == 0 ? Node.of("device", Node.attrsOf("id", "0"))
            : Node.of("device", Node.attrsOf("id", Integer.toString(device), "key-index", "1")));
        lid = party.lid.user();
      }
    }
    List<Node> children = new ArrayList<>();
    children.add(Node.of("devices", Map.of(), List.of(Node.of("device-list", Map.of(), devices))));
    if (lid != null) {
      children.add(Node.of("lid", Node.attrsOf("val", lid + "@lid")));
    }
    return Node.of("user", Node.attrsOf("jid", user.toString()), children);
  }

  private Node bundle(String jid, Party party) {
    if (party == null) {
      return Node.of("user", Node.attrsOf("jid", jid), List.of(Node.of("error",
          Node.attrsOf("code", "404"))));
    }
    Credentials c = party.auth.credentials();
    int id = nextPreKeyId++;
    PreKeyRecord key = new PreKeyRecord(id, Curve25519.generateKeyPair());
    party.auth.keys().store(SignalKeyStore.PRE_KEY, Map.of(Integer.toString(id), key.serialize()));
    return Node.of("user", Node.attrsOf("jid", jid), List.of(
        Node.of("registration", Map.of(), WireProtocol.bigEndian(c.registrationId(), 4)),
        Node.of("identity", Map.of(), c.signedIdentityKey().publicKey()),
        Node.of("skey", Map.of(), List.of(
            Node.of("id", Map.of(), WireProtocol.bigEndian(c.signedPreKey().id(), 3)),
            Node.of("value", Map.of(), c.signedPreKey().keyPair().publicKey()),
            Node.of("signature", Map.of(), c.signedPreKey().signature()))),
        Node.of("key", Map.of(), List.of(
            Node.of("id", Map.of(), WireProtocol.bigEndian(id, 3)),
            Node.of("value", Map.of(), key.keyPair().publicKey())))));
  }

  /** One device: its messaging flows, talking to this server through a {@link NodeChannel}. */
  final class Party implements NodeChannel {
    final InMemoryAuthState auth;
    final Jid me;
    final Jid lid;
    final List<WaEvent> events = new ArrayList<>();
    final List<Node> sent = new ArrayList<>();
    final MessagingState state;
    final Messaging messaging;
    final NodeDispatcher dispatcher;
    private final ClientConfig config = new ClientConfig(URI.create("ws://loopback"), "o",
        new BaileysCompatibleCertificateVerifier(), null, Clock.systemUTC(), null,
        new SecureRandom(), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1), 5, 1 << 20, Duration.ofSeconds(1), null);

    Party(Jid me, Jid lid, InMemoryAuthState auth, int maxUnacked) {
      this.state = new MessagingState(Clock.systemUTC(), maxUnacked);
      this.me = me;
      this.lid = lid;
      this.auth = auth;
      TaskScheduler never = (task, delay) -> () -> { };
      this.messaging = new Messaging(config, this, new DeviceAuth(auth, events::add),
          events::add, never, state);
      this.dispatcher = messaging.register(new NodeDispatcher(
          new IqRequests(new java.util.Random(1), never)));
    }

    CompletableFuture<SendResult> send(Jid to, String text, MessageId id) {
      CompletableFuture<SendResult> result = new CompletableFuture<>();
      messaging.send(to, text, id, result);
      return result;
    }

    <T extends WaEvent> List<T> events(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void send(Node node) {
      sent.add(node);
      queue.add(() -> route(this, node));
    }

    @Override
    public CompletableFuture<Node> query(Node iq, Duration timeout) {
      CompletableFuture<Node> reply = new CompletableFuture<>();
      queue.add(() -> {
        IqErrorException[] error = new IqErrorException[1];
        Node answer = answer(this, iq, error);
        if (error[0] != null) {
          reply.completeExceptionally(error[0]);
        } else {
          reply.complete(answer);
        }
      });
      return reply;
    }
  }
}
