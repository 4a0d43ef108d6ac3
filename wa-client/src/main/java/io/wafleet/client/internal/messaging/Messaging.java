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
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The messaging stanzas of one connection (§8, §9): {@code message} to the {@link Receiver},
 * {@code receipt} to {@link ReceiptReceived} events (retry receipts also to the {@link Sender}),
 * {@code ack class="message"} to the sender's futures, {@code notification} acked. Every receipt
 * and notification is acked (§9.3). Inbound thread only.
 */
public final class Messaging {

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

  public boolean acknowledge(IncomingMessage message) {
    return receiver.acknowledge(message);
  }

  public void close() {
    sender.close();
  }

  /** Acks every notification (§9.3); a low pre-key count tops the server's stock up (§8.5). */
  private void onNotification(Node notification) {
    channel.send(MessageStanzas.ackFor(notification, null));
    if ("encrypt".equals(notification.attr("type")) && notification.child("count") != null) {
      preKeys.topUp().exceptionally(error -> null);
    }
  }

  private void onAck(Node ack) {
    if ("message".equals(ack.attr("class"))) {
      sender.onAck(ack);
    }
  }

  private void onReceipt(Node receipt) {
    channel.send(MessageStanzas.ackFor(receipt, null));
    Jid from = Jid.tryParse(receipt.attr("from"));
    String id = receipt.attr("id");
    if (from == null || id == null) {
      return;
    }
    ReceiptType type = ReceiptType.fromWire(receipt.attr("type"));
    if (type == ReceiptType.RETRY) {
      sender.onRetryReceipt(receipt);
    }
    Instant t = timestamp(receipt.attr("t"));
    events.emit(new ReceiptReceived(new MessageId(id), from, type, t));
    Node list = receipt.child("list");
    if (list != null) {
      for (Node item : list.children("item")) {
        String more = item.attr("id");
        if (more != null) {
          events.emit(new ReceiptReceived(new MessageId(more), from, type, t));
        }
      }
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
