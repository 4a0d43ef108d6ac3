package io.wafleet.client.internal.messaging;

import com.google.protobuf.ByteString;
import io.wafleet.client.ClientConfig;
import io.wafleet.client.NotConnectedException;
import io.wafleet.client.SendRejectedException;
import io.wafleet.client.SendResult;
import io.wafleet.client.SendTimeoutException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.internal.DeviceAuth;
import io.wafleet.client.internal.NodeChannel;
import io.wafleet.client.internal.TaskScheduler;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.proto.Message;
import io.wafleet.client.signal.CiphertextMessage;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends texts (§8; to groups through the {@link GroupSender}, §10.4): usync for the recipient and ourselves, key fetch for devices without a
 * session, per-device encryption (DSM for our own other devices), one stanza; the server's
 * {@code <ack class="message">} completes the caller's future. Sends to one chat are prepared and
 * written one after another, so they reach the server in call order; the acks are awaited in
 * parallel. Not thread-safe: the inbound thread only.
 */
final class Sender {

  private static final Logger log = LoggerFactory.getLogger(Sender.class);

  private record Pending(CompletableFuture<SendResult> result, TaskScheduler.Cancellable timer,
      int[] devices) {
  }

  private final ClientConfig config;
  private final NodeChannel channel;
  private final DeviceAuth auth;
  private final TaskScheduler scheduler;
  private final MessagingState state;
  private final SignalSessions sessions;
  private final LidMappings lids;
  private final PreKeyFetch keys;
  private final GroupSender groups;
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<Jid, CompletableFuture<Void>> chains = new HashMap<>();

  Sender(ClientConfig config, NodeChannel channel, DeviceAuth auth, TaskScheduler scheduler,
      MessagingState state, SignalSessions sessions, LidMappings lids) {
    this.config = config;
    this.channel = channel;
    this.auth = auth;
    this.scheduler = scheduler;
    this.state = state;
    this.sessions = sessions;
    this.lids = lids;
    this.keys = new PreKeyFetch(config, channel, sessions, lids);
    this.groups = new GroupSender(config, channel, auth, state, sessions, lids, keys, this::isMe);
  }

  /** The group side of sending: metadata, sender keys, re-keying (§10.4). */
  GroupSender groups() {
    return groups;
  }

  /** Queues a text behind earlier sends to the same chat; {@code result} completes on the ack. */
  void send(Jid to, String text, MessageId id, CompletableFuture<SendResult> result) {
    Jid chat = to.toNonDevice();
    TaskScheduler.Cancellable timer = scheduler.schedule(() -> fail(id.value(),
        new SendTimeoutException(id, config.sendTimeout())), config.sendTimeout());
    Pending entry = new Pending(result, timer, new int[1]);
    Pending previous = pending.put(id.value(), entry);
    if (previous != null) {
      previous.timer().cancel();
      result.whenComplete((r, e) -> completeWith(previous.result(), r, e));
    }
    MessagingState.SentText sent = new MessagingState.SentText(id, chat, text);
    CompletableFuture<Void> tail = chains.getOrDefault(chat, CompletableFuture.completedFuture(null));
    CompletableFuture<Void> next = tail
        .thenCompose(ignored -> prepareAndWrite(sent, entry))
        .exceptionally(error -> {
          fail(id.value(), unwrap(error));
          return null;
        });
    chains.put(chat, next);
    next.thenRun(() -> chains.remove(chat, next));
  }

  /** {@code <ack class="message" id [t] [error]>} from the server (§8.8). */
  void onAck(Node ack) {
    String id = ack.attrOr("id", "");
    Pending entry = pending.remove(id);
    if (entry == null) {
      return;
    }
    entry.timer().cancel();
    String error = ack.attr("error");
    if (error != null) {
      entry.result().completeExceptionally(new SendRejectedException(error,
          "server refused message " + id + " error=" + error));
      return;
    }
    entry.result().complete(new SendResult(new MessageId(id), seconds(ack.attr("t")),
        entry.devices()[0]));
  }

  /** A device asks for our message again (§9.4): a fresh session, then a copy to that device. */
  void onRetryReceipt(Node receipt) {
    String id = receipt.attrOr("id", "");
    Jid from = Jid.tryParse(receipt.attr("from"));
    Jid requester = from != null && from.isGroup()
        ? Jid.tryParse(receipt.attr("participant")) : from;
    MessagingState.SentText sent = state.sent(id);
    if (requester == null || sent == null) {
      log.debug("retry receipt for an unknown message ignored");
      return;
    }
    if (state.countRetry("resend|" + MessagingState.key(requester, id)) > MessagingState.MAX_RETRIES) {
      log.debug("retry receipt ignored: resend limit reached");
      return;
    }
    if (sent.chat().isGroup()) {
      groups.resend(sent, requester, retryCount(receipt));
      return;
    }
    sessions.delete(requester);
    keys.ensure(List.of(requester), true)
        .thenRun(() -> write(sent, List.of(requester), true, null))
        .exceptionally(error -> {
          log.warn("resend after retry receipt failed error={}", unwrap(error).toString());
          return null;
        });
  }

  /** The {@code count} of a retry receipt's {@code <retry>}, 1 when absent or malformed. */
  private static int retryCount(Node receipt) {
    Node retry = receipt.child("retry");
    try {
      return retry == null ? 1 : Math.max(1, Integer.parseInt(retry.attrOr("count", "1")));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** Fails every pending send: the connection is closing. */
  void close() {
    List<Pending> all = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending entry : all) {
      entry.timer().cancel();
      entry.result().completeExceptionally(new NotConnectedException("connection closed"));
    }
  }

  private CompletableFuture<Void> prepareAndWrite(MessagingState.SentText sent, Pending entry) {
    if (entry.result().isDone()) {
      return CompletableFuture.completedFuture(null);
    }
    if (sent.chat().isGroup()) {
      return groups.prepareAndWrite(sent, entry.devices());
    }
    Jid me = auth.credentials().me();
    Jid ownUser = me.toNonDevice();
    List<Jid> users = sent.chat().equals(ownUser) ? List.of(ownUser) : List.of(ownUser, sent.chat());
    return state.devices().devices(channel, config.queryTimeout(), lids, users).thenCompose(byUser -> {
      List<Jid> targets = new ArrayList<>();
      byUser.values().forEach(devices -> devices.stream()
          .filter(device -> !isMe(device)).forEach(targets::add));
      return keys.ensure(targets, false).thenRun(() -> write(sent, targets, false, entry));
    });
  }

  private void write(MessagingState.SentText sent, List<Jid> targets, boolean resend,
      Pending entry) {
    List<MessageStanzas.DeviceCopy> copies = new ArrayList<>();
    Jid ownUser = auth.credentials().me().toNonDevice();
    byte[] plain = Message.newBuilder().setConversation(sent.text()).build().toByteArray();
    byte[] dsm = Message.newBuilder().setDeviceSentMessage(Message.DeviceSentMessage.newBuilder()
        .setDestinationJid(sent.chat().toString())
        .setMessage(Message.newBuilder().setConversation(sent.text()))).build().toByteArray();
    for (Jid device : targets) {
      boolean own = device.user().equals(ownUser.user()) && device.isUser();
      try {
        CiphertextMessage cipher = sessions.encrypt(device,
            Padding.pad(own ? dsm : plain, config.random()));
        copies.add(new MessageStanzas.DeviceCopy(device, cipher.type().wireType(),
            cipher.serialized()));
      } catch (NoSessionException e) {
        log.debug("device skipped: no session device={}", device.masked());
      }
    }
    boolean reachedRecipient = copies.stream()
        .anyMatch(c -> !c.device().user().equals(ownUser.user())) || sent.chat().equals(ownUser);
    if (resend ? copies.isEmpty() : !reachedRecipient) {
      throw new SendRejectedException("no-devices", "no device of the recipient could be reached");
    }
    byte[] identity = auth.credentials().account();
    Node stanza = MessageStanzas.message(sent.id().value(), sent.chat(), copies, identity);
    if (resend && identity != null && stanza.child("device-identity") == null) {
      List<Node> children = new ArrayList<>(stanza.children());
      children.add(Node.of("device-identity", Map.of(), identity));
      stanza = new Node(stanza.tag(), stanza.attrs(), children);
    }
    if (entry != null) {
      entry.devices()[0] = copies.size();
    }
    state.rememberSent(sent);
    channel.send(stanza);
    log.debug("message sent id={} devices={} resend={}", sent.id(), copies.size(), resend);
  }

  private boolean isMe(Jid device) {
    Jid me = auth.credentials().me();
    Jid lid = auth.credentials().lid();
    return sameDevice(device, me) || (lid != null && sameDevice(device, lid));
  }

  private static boolean sameDevice(Jid a, Jid b) {
    return a.user().equals(b.user()) && a.server().equals(b.server())
        && a.deviceId() == b.deviceId();
  }

  private void fail(String id, Throwable error) {
    Pending entry = pending.remove(id);
    if (entry != null) {
      entry.timer().cancel();
      entry.result().completeExceptionally(error);
    }
  }

  private static void completeWith(CompletableFuture<SendResult> target, SendResult r, Throwable e) {
    if (e != null) {
      target.completeExceptionally(e);
    } else {
      target.complete(r);
    }
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
  }

  private Instant seconds(String t) {
    try {
      return t == null ? config.clock().instant() : Instant.ofEpochSecond(Long.parseLong(t));
    } catch (NumberFormatException e) {
      return config.clock().instant();
    }
  }
}
