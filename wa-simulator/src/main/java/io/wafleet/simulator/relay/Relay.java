package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.group.Group;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.relay.Envelope.Rejected;
import io.wafleet.simulator.relay.Envelope.Target;
import io.wafleet.simulator.relay.Mailbox.Outcome;
import io.wafleet.simulator.relay.ReceiptRoutes.Route;
import io.wafleet.simulator.server.Stats.Counter;
import io.wafleet.simulator.server.Stats;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's message router (§8.8, §9.1, §9.5, §7.4): delivers each {@code <enc>} of a message to
 * the device it addresses, or queues it for that device's next login; forwards receipts to the
 * sender's device; answers both with the server's ack. Network sessions and simulated phones go
 * through the same {@link #submitMessage} and {@link #submitReceipt}.
 *
 * <p>Thread-safe: all mailbox state is guarded by this object's lock, held while handing stanzas to
 * endpoints (which never block and never call back in on the same thread), so per-device order is
 * the order of acceptance, a login's queue flush cannot interleave with new deliveries, and an
 * acknowledgement (which needs the same lock) cannot overtake the write of its message.
 *
 * <p>Nothing acknowledged is lost, nothing unacknowledged is forgotten (§8.8): each device's
 * {@link Mailbox} keeps the messages written to it until it acknowledges them and redelivers them
 * at its next login; see {@link Mailbox} for the rule and its bound.
 */
public final class Relay {

  private static final Logger log = LoggerFactory.getLogger(Relay.class);
  private static final java.util.concurrent.atomic.AtomicLong NOTIFICATION_IDS =
      new java.util.concurrent.atomic.AtomicLong();

  private final Directory directory;
  private final Stats stats;
  private final Clock clock;
  private final int queueCapacity;
  private final ReceiptRoutes routes;
  private final Map<String, Mailbox> mailboxes = new HashMap<>();

  public Relay(Directory directory, Stats stats, Clock clock, int queueCapacity,
      int routeCapacity) {
    this.directory = directory;
    this.stats = stats;
    this.clock = clock;
    this.queueCapacity = queueCapacity;
    this.routes = new ReceiptRoutes(routeCapacity);
  }

  /** A simulated phone dropped a message it already held (same sender, same id). */
  void phoneDuplicateDropped() {
    stats.increment(Counter.PHONE_DUPLICATES_DROPPED);
  }

  public Directory directory() {
    return directory;
  }

  /**
   * A device came online (§7.4): first the messages it was given earlier but never acknowledged
   * (§8.8, §9.3), then its queued stanzas, each with {@code offline="1"}, then, when
   * {@code announce}, {@code <ib><offline count="N"/></ib>} with N = stanzas (re)delivered. Nothing
   * is re-sent to a device while it stays connected: redelivery happens only here, at login.
   */
  public synchronized void connect(DeviceAddress device, Endpoint endpoint, boolean announce) {
    Mailbox box = mailbox(device.key());
    Mailbox.Backlog backlog = box.goOnline(endpoint);
    List<Node> all = backlog.all();
    int unacknowledged = backlog.unacknowledged().size();
    for (int i = 0; i < all.size(); i++) {
      Node stanza = all.get(i);
      if (!endpoint.deliver(RelayStanzas.offline(stanza))) {
        box.goOffline(endpoint);
        box.requeue(all.subList(i, all.size()));
        log.info("device left during offline flush device={} requeued={}", device, all.size() - i);
        return;
      }
      box.written(stanza);
      if ("message".equals(stanza.tag())) {
        stats.increment(i < unacknowledged ? Counter.MESSAGES_REDELIVERED : Counter.MESSAGES_RELAYED);
      }
    }
    if (announce) {
      endpoint.deliver(RelayStanzas.offlineMarker(all.size()));
    }
    log.info("device online device={} redelivered={} flushed={}", device, unacknowledged,
        backlog.queued().size());
  }

  /**
   * The device processed these message ids (§9.3 receipt of any type, §9.4 retry receipt, or
   * {@code <ack class="message">}): they are no longer redelivered at its next login.
   */
  public synchronized void acknowledge(DeviceAddress device, Collection<String> ids) {
    int removed = mailbox(device.key()).acknowledge(ids);
    log.debug("messages acknowledged device={} ids={} inFlight={}", device, ids.size(), removed);
  }

  /**
   * An {@code <ack>} from a device (§9.3): {@code class="message"} (sent for messages it failed to
   * process) acknowledges that message id; other classes are ignored.
   */
  public void submitAck(DeviceAddress from, Node ack) {
    String id = ack.attr("id");
    if ("message".equals(ack.attr("class")) && id != null && !id.isEmpty()) {
      acknowledge(from, List.of(id));
    }
  }

  /** Messages written to the device and not acknowledged by it yet. */
  public synchronized int unacknowledged(DeviceAddress device) {
    return mailbox(device.key()).unacknowledged();
  }

  /** The device's endpoint went away; later stanzas are queued. */
  public synchronized void disconnect(DeviceAddress device, Endpoint endpoint) {
    if (mailbox(device.key()).goOffline(endpoint)) {
      log.debug("device offline device={}", device);
    }
  }

  /** Sends a server notification to the device if it is online; otherwise it is dropped. */
  public synchronized boolean notifyIfOnline(DeviceAddress device, Node notification) {
    Mailbox box = mailbox(device.key());
    return box.state() == Mailbox.State.ONLINE && box.endpoint().deliver(notification);
  }

  /** Stanzas waiting for the device's next login. */
  public synchronized int queued(DeviceAddress device) {
    return mailbox(device.key()).queued();
  }

  /**
   * A {@code <message>} from {@code sender} (§8.7): delivers or queues a copy per addressed device
   * and returns the ack for the sender (§8.8), with {@code error} when nothing could be accepted.
   */
  public Node submitMessage(DeviceAddress sender, Node message) {
    return submitMessage(sender, message, ack -> { });
  }

  /**
   * As {@link #submitMessage(DeviceAddress, Node)}, handing the ack to {@code sendAck} before any
   * copy is delivered: WhatsApp acks a message when it accepts it, so the sender sees the ack
   * before anything a recipient answers (a receipt, a retry receipt), whichever thread answers.
   */
  public Node submitMessage(DeviceAddress sender, Node message, java.util.function.Consumer<Node> sendAck) {
    long now = clock.instant().getEpochSecond();
    Envelope envelope;
    try {
      envelope = Envelope.parse(message);
    } catch (Rejected e) {
      log.info("message refused sender={} reason={}", sender, e.getMessage());
      return RelayStanzas.messageAck(message.attrOr("id", ""), message.attrOr("to", RelayStanzas.SERVER),
          now, e.code());
    }
    String ackFrom = envelope.to().toString();
    if (envelope.to().isGroup()) {
      return submitGroupMessage(sender, envelope, sendAck, now);
    }
    Optional<Phone> chat = directory.account(envelope.chat());
    if (chat.isEmpty()) {
      log.info("message refused sender={} reason=unknown-recipient", sender);
      return RelayStanzas.messageAck(envelope.id(), ackFrom, now, 404);
    }
    Optional<Jid> foreign = envelope.targets().stream().map(Target::device)
        .filter(jid -> !belongsTo(jid, chat.get(), sender)).findFirst();
    if (foreign.isPresent()) {
      log.info("message refused sender={} reason=not-a-device-of-chat-or-sender target={}", sender,
          foreign.get().masked());
      return RelayStanzas.messageAck(envelope.id(), ackFrom, now, 400);
    }
    Map<String, Node> copies = copies(sender, envelope, now);
    if (copies.isEmpty()) {
      log.info("message refused sender={} reason=no-deliverable-device targets={}", sender,
          envelope.targets().size());
      return RelayStanzas.messageAck(envelope.id(), ackFrom, now, 400);
    }
    routes.remember(envelope.id(), new Route(sender, envelope.chat().toString(),
        envelope.to().isLid()));
    Node ack = RelayStanzas.messageAck(envelope.id(), ackFrom, now, null);
    sendAck.accept(ack);
    deliverAll(copies);
    return ack;
  }

  /**
   * A message to a group (§10.7): refused with 404 for an unknown group, 403 for a sender who is
   * not a member (nothing relayed), 400 for a participant entry outside the group; otherwise acked,
   * then one copy per member device except the sending one ({@link GroupCopies}).
   */
  private Node submitGroupMessage(DeviceAddress sender, Envelope envelope,
      java.util.function.Consumer<Node> sendAck, long now) {
    String group = envelope.chat().toString();
    Optional<Group> found = directory.group(envelope.chat());
    if (found.isEmpty()) {
      log.info("group message refused sender={} reason=unknown-group", sender);
      return RelayStanzas.messageAck(envelope.id(), group, now, 404);
    }
    Map<String, Node> copies;
    try {
      copies = GroupCopies.of(directory, found.get(), sender, envelope, now);
    } catch (Rejected e) {
      log.info("group message refused sender={} reason={}", sender, e.getMessage());
      return RelayStanzas.messageAck(envelope.id(), group, now, e.code());
    }
    routes.remember(envelope.id(), new Route(sender, group, "lid".equals(envelope.addressingMode())));
    Node ack = RelayStanzas.messageAck(envelope.id(), group, now, null);
    sendAck.accept(ack);
    deliverAll(copies);
    log.debug("group message relayed sender={} copies={}", sender, copies.size());
    return ack;
  }

  /**
   * Tells every device of the group's members, and of the members who just left, that members
   * were added or removed ({@code w:gp2}, §10.7); queued for devices that are offline.
   */
  public void notifyGroupChange(Group group, String admin, String action, List<String> who,
      Collection<String> alsoTell) {
    if (who.isEmpty()) {
      return;
    }
    long now = clock.instant().getEpochSecond();
    Optional<Phone> adminPhone = directory.phone(admin);
    List<DeviceAddress> changed = who.stream().map(directory::phone).flatMap(Optional::stream)
        .map(phone -> new DeviceAddress(phone, 0)).toList();
    Node notification = RelayStanzas.groupChange(group.jid().toString(),
        "sim-gp2-" + NOTIFICATION_IDS.incrementAndGet(),
        adminPhone.map(Phone::jid).map(Jid::toString).orElse(group.jid().toString()), action,
        changed, now);
    Map<String, Node> copies = new LinkedHashMap<>();
    for (DeviceAddress device : directory.devices(group)) {
      copies.put(device.key(), notification);
    }
    for (String number : alsoTell) {
      directory.phone(number).ifPresent(phone -> directory.devices(phone)
          .forEach(device -> copies.put(device.key(), notification)));
    }
    deliverAll(copies);
    log.info("group change notified action={} changed={} devices={}", action, who.size(),
        copies.size());
  }

  /** True when the JID names the chat's account or the sender's own account (§8.2). */
  private boolean belongsTo(Jid target, Phone chat, DeviceAddress sender) {
    Optional<Phone> account = directory.account(target);
    return account.isPresent() && (account.get() == chat || account.get() == sender.phone());
  }

  /**
   * One delivered stanza per existing target device, keyed by routing key; a device that does not
   * exist (unlinked since the sender listed it) or the sender itself is skipped and logged.
   */
  private Map<String, Node> copies(DeviceAddress sender, Envelope envelope, long now) {
    Map<String, Node> copies = new LinkedHashMap<>();
    for (Target target : envelope.targets()) {
      Optional<DeviceAddress> device = directory.device(target.device());
      if (device.isEmpty() || device.get().key().equals(sender.key())) {
        log.info("participant skipped sender={} target={} reason=no-such-device-or-sender-itself",
            sender, target.device().masked());
        continue;
      }
      boolean own = device.get().sameAccount(sender);
      String recipient = own
          ? (envelope.recipient() != null ? envelope.recipient() : envelope.chat().toString())
          : null;
      copies.putIfAbsent(device.get().key(), RelayStanzas.delivered(envelope, sender,
          target.device().isLid(), recipient, target.encs(), now));
    }
    return copies;
  }

  private synchronized void deliverAll(Map<String, Node> copies) {
    copies.forEach((key, stanza) -> {
      Outcome outcome = mailbox(key).offer(stanza);
      boolean message = "message".equals(stanza.tag());
      switch (outcome) {
        case DELIVERED -> stats.increment(message ? Counter.MESSAGES_RELAYED : Counter.RECEIPTS_RELAYED);
        case QUEUED -> stats.increment(message ? Counter.MESSAGES_QUEUED : Counter.RECEIPTS_RELAYED);
      }
    });
  }

  /**
   * A {@code <receipt>} from {@code from} (§9.3–§9.5): forwarded to the device that sent the
   * message (queued if it is offline); returns the receipt ack. Unknown ids are only acked (and
   * logged). Any receipt also acknowledges, for {@code from}, its id and those in
   * {@code <list><item id/>}. A receipt that lists several ids (a read receipt, §9.3) is split by
   * the device that sent each message, so every sender gets one receipt naming only its own ids.
   */
  public Node submitReceipt(DeviceAddress from, Node receipt) {
    String id = receipt.attrOr("id", "");
    List<String> ids = receiptIds(receipt);
    acknowledge(from, ids);
    String type = receipt.attr("type");
    String ackFrom = receipt.attrOr("to", receipt.attrOr("recipient", RelayStanzas.SERVER));
    Node ack = RelayStanzas.receiptAck(id, ackFrom, type);
    if (ids.isEmpty()) {
      log.info("receipt not forwarded device={} reason=no-message-id", from);
      return ack;
    }
    if (receipt.child("list") == null) {
      forward(from, receipt, id);
      return ack;
    }
    Map<Route, List<String>> bySender = new LinkedHashMap<>();
    int unknown = 0;
    for (String each : ids) {
      Optional<Route> route = routes.find(each);
      if (route.isEmpty()) {
        unknown++;
      } else {
        bySender.computeIfAbsent(route.get(), r -> new ArrayList<>()).add(each);
      }
    }
    if (unknown > 0) {
      log.info("receipt ids not forwarded device={} reason=unknown-message-id count={}", from,
          unknown);
    }
    bySender.forEach((route, itsIds) -> deliverReceipt(from, route,
        RelayStanzas.receiptFor(receipt, itsIds)));
    return ack;
  }

  private void forward(DeviceAddress from, Node receipt, String id) {
    Optional<Route> route = routes.find(id);
    if (route.isEmpty()) {
      log.info("receipt not forwarded device={} reason=unknown-message-id", from);
      return;
    }
    deliverReceipt(from, route.get(), receipt);
  }

  private void deliverReceipt(DeviceAddress from, Route route, Node receipt) {
    DeviceAddress sender = route.sender();
    if (route.chat().endsWith("@" + Jid.GROUP_SERVER)) {
      deliverAll(Map.of(sender.key(), RelayStanzas.groupReceipt(receipt, route.chat(),
          from.jid(route.lidForm()), clock.instant().getEpochSecond())));
      return;
    }
    String recipient = receipt.attr("recipient");
    if (recipient == null && from.sameAccount(sender)) {
      recipient = route.chat();
    }
    Node forwarded = RelayStanzas.forwardedReceipt(receipt, from.jid(route.lidForm()),
        recipient, clock.instant().getEpochSecond());
    deliverAll(Map.of(sender.key(), forwarded));
  }

  /** The ids a receipt covers (§9.3): {@code id} plus each {@code <list><item id/>}. */
  static List<String> receiptIds(Node receipt) {
    List<String> ids = new ArrayList<>();
    String id = receipt.attr("id");
    if (id != null && !id.isEmpty()) {
      ids.add(id);
    }
    Node list = receipt.child("list");
    if (list != null) {
      for (Node item : list.children("item")) {
        String more = item.attr("id");
        if (more != null && !more.isEmpty()) {
          ids.add(more);
        }
      }
    }
    return ids;
  }

  private Mailbox mailbox(String key) {
    return mailboxes.computeIfAbsent(key,
        k -> new Mailbox(queueCapacity, k.replaceAll(".(?=.{6})", "*")));
  }
}
