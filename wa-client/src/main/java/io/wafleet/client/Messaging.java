package io.wafleet.client;

import io.wafleet.client.binary.Node;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.message.IncomingMessage;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The messaging stanzas of one connection (§8, §9): {@code message} to the {@link Receiver},
 * {@code receipt} to {@link ReceiptReceived} events (retry receipts also to the {@link Sender}),
 * {@code ack class="message"} to the sender's futures, {@code notification} acked. Every receipt
 * and notification is acked (§9.3). Inbound thread only.
 */
final class Messaging {

  private final ConnectionContext ctx;
  private final Sender sender;
  private final Receiver receiver;
  private final PreKeyUploader preKeys;

  Messaging(ConnectionContext ctx, MessagingState state) {
    this.ctx = ctx;
    LidMappings lids = new LidMappings(ctx.keys());
    SignalSessions sessions = new SignalSessions(ctx.authState(), lids);
    this.sender = new Sender(ctx, state, sessions, lids);
    this.receiver = new Receiver(ctx, state, sessions, lids);
    this.preKeys = new PreKeyUploader(ctx);
  }

  NodeDispatcher register(NodeDispatcher dispatcher) {
    return dispatcher
        .on("message", receiver::onMessage)
        .on("receipt", this::onReceipt)
        .on("ack", this::onAck)
        .on("notification", this::onNotification);
  }

  void send(Jid to, String text, MessageId id, CompletableFuture<SendResult> result) {
    sender.send(to, text, id, result);
  }

  boolean acknowledge(IncomingMessage message) {
    return receiver.acknowledge(message);
  }

  void close() {
    sender.close();
  }

  /** Acks every notification (§9.3); a low pre-key count tops the server's stock up (§8.5). */
  private void onNotification(Node notification) {
    ctx.send(MessageStanzas.ackFor(notification, null));
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
    ctx.send(MessageStanzas.ackFor(receipt, null));
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
    ctx.emit(new ReceiptReceived(new MessageId(id), from, type, t));
    Node list = receipt.child("list");
    if (list != null) {
      for (Node item : list.children("item")) {
        String more = item.attr("id");
        if (more != null) {
          ctx.emit(new ReceiptReceived(new MessageId(more), from, type, t));
        }
      }
    }
  }

  private Instant timestamp(String t) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(t));
    } catch (NumberFormatException | NullPointerException e) {
      return ctx.config().clock().instant();
    }
  }
}
