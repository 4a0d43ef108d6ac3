package io.wafleet.client.internal.messaging;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.SendResult;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.internal.DeviceAuth;
import io.wafleet.client.internal.EventEmitter;
import io.wafleet.client.internal.NodeChannel;
import io.wafleet.client.internal.NodeDispatcher;
import io.wafleet.client.internal.PreKeyUploader;
import io.wafleet.client.internal.TaskScheduler;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.model.GroupMetadata;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging stanzas of one connection (§8, §9): {@code message} to the {@link Receiver},
 * {@code receipt} to {@link ReceiptReceived} events (retry receipts also to the {@link Sender}),
 * {@code ack class="message"} to the sender's futures, {@code notification} acked. Every receipt
 * and notification is acked (§9.3). Inbound thread only.
 */
public final class Messaging {

  private static final Logger log = LoggerFactory.getLogger(Messaging.class);

  private final ClientConfig config;
  private final NodeChannel channel;
  private final EventEmitter events;
  private final Sender sender;
  private final Receiver receiver;
  private final PreKeyUploader preKeys;

  public Messaging(ClientConfig config, NodeChannel channel, DeviceAuth auth, EventEmitter events,
      TaskScheduler scheduler, MessagingState state) {
    this.config = config;
    this.channel = channel;
    this.events = events;
    LidMappings lids = new LidMappings(auth.keys());
    SignalSessions sessions = new SignalSessions(auth.authState(), lids);
    this.sender = new Sender(config, channel, auth, scheduler, state, sessions, lids);
    this.receiver = new Receiver(config, channel, auth, events, state, sessions, lids);
    this.preKeys = new PreKeyUploader(config, channel, auth);
  }

  public NodeDispatcher register(NodeDispatcher dispatcher) {
    return dispatcher
        .on("message", receiver::onMessage)
        .on("receipt", this::onReceipt)
        .on("ack", this::onAck)
        .on("notification", this::onNotification);
  }

  public void send(Jid to, String text, MessageId id, CompletableFuture<SendResult> result) {
    sender.send(to, text, id, result);
  }

  /** The metadata of {@code group} ({@code w:g2}, §10.7); fails with IqErrorException 403/404. */
  public CompletableFuture<GroupMetadata> groupMetadata(Jid group) {
    return sender.groups().metadata(group);
  }

  public boolean acknowledge(IncomingMessage message) {
    return receiver.acknowledge(message);
  }

  /** Sends one read receipt for {@code ids} of {@code chat} (§9.3); never sent by itself. */
  public void markRead(Jid chat, Jid author, List<MessageId> ids) {
    channel.send(MessageStanzas.readReceipt(chat, author,
        ids.stream().map(MessageId::value).toList(), config.clock().instant().getEpochSecond()));
  }

  public void close() {
    sender.close();
  }

  /**
   * Acks every notification (§9.3); a low pre-key count tops the server's stock up (§8.5); a
   * group member removed ({@code w:gp2} with {@code <remove>}, §10.7) means a new sender key for
   * our next message to that group.
   */
  private void onNotification(Node notification) {
    channel.send(MessageStanzas.ackFor(notification, null));
    String type = notification.attr("type");
    if ("encrypt".equals(type) && notification.child("count") != null) {
      preKeys.topUp().exceptionally(error -> null);
    }
    if ("w:gp2".equals(type) && notification.child("remove") != null) {
      Jid group = Jid.tryParse(notification.attr("from"));
      if (group != null && group.isGroup()) {
        sender.groups().onMembersRemoved(group);
      } else {
        log.warn("group notification ignored reason=no-valid-from");
      }
    }
  }

  private void onAck(Node ack) {
    if ("message".equals(ack.attr("class"))) {
      sender.onAck(ack);
    }
  }

  /**
   * Emits one {@link ReceiptReceived} per message id the receipt names ({@code id} and each
   * {@code <list><item id/>}, §9.3); a receipt without a usable {@code from} or {@code id}, and a
   * list item without a usable id, is logged and skipped.
   */
  private void onReceipt(Node receipt) {
    channel.send(MessageStanzas.ackFor(receipt, null));
    Jid from = Jid.tryParse(receipt.attr("from"));
    if (from != null && from.isGroup()) {
      // A group receipt names the member's device as participant (§10.7).
      from = Jid.tryParse(receipt.attr("participant"));
    }
    MessageId id = messageId(receipt.attr("id"));
    if (from == null || id == null) {
      log.warn("receipt ignored reason={} type={}", from == null ? "no-valid-from" : "no-valid-id",
          receipt.attr("type"));
      return;
    }
    ReceiptType type = ReceiptType.fromWire(receipt.attr("type"));
    if (type == ReceiptType.RETRY) {
      sender.onRetryReceipt(receipt);
    }
    Instant t = timestamp(receipt.attr("t"));
    events.emit(new ReceiptReceived(id, from, type, t));
    Node list = receipt.child("list");
    if (list != null) {
      for (Node item : list.children("item")) {
        MessageId more = messageId(item.attr("id"));
        if (more != null) {
          events.emit(new ReceiptReceived(more, from, type, t));
        } else {
          log.warn("receipt item ignored reason=no-valid-id type={}", receipt.attr("type"));
        }
      }
    }
  }

  /** The id, or null when absent or not a possible message id. */
  private static MessageId messageId(String value) {
    try {
      return value == null ? null : new MessageId(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Instant timestamp(String t) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(t));
    } catch (NumberFormatException | NullPointerException e) {
      return config.clock().instant();
    }
  }
}
