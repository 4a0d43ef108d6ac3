package io.wafleet.client.internal.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.ClientConfig;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.DecryptionFailed;
import io.wafleet.client.event.DuplicateMessage;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.internal.DeviceAuth;
import io.wafleet.client.internal.EventEmitter;
import io.wafleet.client.internal.NodeChannel;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.message.MessageContents;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.signal.DecryptionCallback;
import io.wafleet.client.signal.DuplicateMessageException;
import io.wafleet.client.signal.InvalidKeyIdException;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import io.wafleet.client.signal.UntrustedIdentityException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives 1:1 messages (§9): decrypts {@code pkmsg}/{@code msg}, unpads, parses, and emits
 * {@link MessageReceived}; the delivery receipt waits for {@link #acknowledge}. Failures give
 * {@link DecryptionFailed}, a retry receipt (§9.4, at most 5 per message) and an error ack; the
 * connection stays up. Not thread-safe: the inbound thread only, in arrival order.
 *
 * <p>Nothing decrypted is lost to a crash (§13, "Idempotent receive"): the plaintext is stored in
 * {@link UnackedMessages} before the advanced session, and deleted once the receipt is written.
 * A redelivery whose ciphertext no longer decrypts (its key was used) is emitted again from that
 * entry; without an entry it was acknowledged before and gives {@link DuplicateMessage} plus a
 * receipt. A redelivery of a message this client still holds unacknowledged in memory gives
 * {@link DuplicateMessage} (the application already has it). With
 * {@link MessagingState#MAX_UNACKED} messages unacknowledged, new ones are left undecrypted and
 * unreceipted (WARN): their keys stay unused and the server redelivers them at the next login.
 */
final class Receiver {

  private static final Logger log = LoggerFactory.getLogger(Receiver.class);

  /** A decrypt failure with its stable reason code. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    Failure(String reason, Throwable cause) {
      super(reason, cause, false, false);
      this.reason = reason;
    }
  }

  private final ClientConfig config;
  private final NodeChannel channel;
  private final DeviceAuth auth;
  private final EventEmitter events;
  private final MessagingState state;
  private final SignalSessions sessions;
  private final LidMappings lids;
  private final RetryKeysFactory retryKeys;
  private final UnackedMessages unacked;
  private final GroupReceiver groups;

  Receiver(ClientConfig config, NodeChannel channel, DeviceAuth auth, EventEmitter events,
      MessagingState state, SignalSessions sessions, LidMappings lids) {
    this.config = config;
    this.channel = channel;
    this.auth = auth;
    this.events = events;
    this.state = state;
    this.sessions = sessions;
    this.lids = lids;
    this.retryKeys = new RetryKeysFactory(auth);
    this.unacked = new UnackedMessages(auth.keys());
    this.groups = new GroupReceiver(this, config, auth, state, sessions, lids, unacked);
  }

  void onMessage(Node stanza) {
    String id = stanza.attr("id");
    Jid from = Jid.tryParse(stanza.attr("from"));
    Node enc = stanza.child("enc");
    if (id != null && from != null && from.isGroup()) {
      groups.onMessage(stanza, id, from);
      return;
    }
    if (id == null || from == null || enc == null || enc.bytes() == null) {
      channel.send(MessageStanzas.ackFor(stanza, null));
      return;
    }
    SenderIds senderIds = senderIds(stanza, id, from);
    String key = MessagingState.key(from, id);
    if (duplicate(key, id, from, null)) {
      return;
    }
    String encType = enc.attrOr("type", "");
    if ("skmsg".equals(encType)) {
      // A sender-key message needs a group: outside one it cannot be decrypted.
      fail(stanza, id, from, new Failure("unknown-enc-type", null));
      return;
    }
    if (state.unackedFull()) {
      // Decrypting would use up the key with nowhere bounded to keep the plaintext. Left
      // undecrypted and without a receipt, the server redelivers it at the next login.
      log.warn("unacked limit reached, message left for redelivery id={} sender={} limit={}",
          id, from.masked(), state.maxUnacked());
      return;
    }
    try {
      deliver(decrypt(stanza, id, from, encType, enc.bytes(), senderIds), key);
    } catch (DuplicateMessageException e) {
      onUsedKey(stanza, id, from, key, null);
    } catch (Failure e) {
      fail(stanza, id, from, e);
    }
  }

  /**
   * Sends the delivery receipt of an acknowledged message (§9.3), then deletes its stored copy;
   * false if not pending.
   */
  boolean acknowledge(IncomingMessage message) {
    MessagingState.Unacked entry = state.removeUnacked(
        MessagingState.key(message.sender(), message.id().value()));
    if (entry == null) {
      return false;
    }
    channel.send(receipt(message, entry.ownCopyChat));
    unacked.delete(message.sender(), message.id().value());
    return true;
  }

  /**
   * The delivery receipt of a received message: to the sending device, or for a group message
   * to the group with the author as {@code participant} ({@code type="sender"} for a copy from one
   * of our own devices, Baileys messages-recv.ts).
   */
  static Node receipt(IncomingMessage message, Jid ownCopyChat) {
    if (message.chat().isGroup()) {
      return GroupStanzas.deliveryReceipt(message.id().value(), message.chat(), message.sender(),
          message.fromMe());
    }
    return MessageStanzas.deliveryReceipt(message.id().value(), message.sender(), ownCopyChat);
  }

  /** {@code group}: the group of a group message (its receipts go there), else null. */
  boolean duplicate(String key, String id, Jid from, Jid group) {
    MessagingState.Unacked pending = state.unacked(key);
    if (pending == null && !state.wasAcknowledged(key)) {
      return false;
    }
    events.emit(new DuplicateMessage(new MessageId(id), from));
    if (pending == null) {
      channel.send(group != null ? GroupStanzas.deliveryReceipt(id, group, from, isOwn(from))
          : MessageStanzas.deliveryReceipt(id, from, null));
    } else if (pending.acknowledged) {
      state.removeUnacked(key);
      channel.send(receipt(pending.message, pending.ownCopyChat));
      unacked.delete(pending.message.sender(), id);
    }
    return true;
  }

  /**
   * The ciphertext's key was used already: a redelivery after a crash (emitted again from its
   * stored copy), or a message acknowledged before, or a replay (a duplicate, receipted so the
   * server stops redelivering).
   */
  void onUsedKey(Node stanza, String id, Jid from, String key, Jid group) {
    Optional<UnackedMessageRecord> stored = unacked.load(device(from), id);
    if (stored.isPresent()) {
      log.info("unacked message redelivered id={} sender={}", id, from.masked());
      deliver(stored.get(), key);
      return;
    }
    log.debug("replayed ciphertext id={} sender={}", id, from.masked());
    events.emit(new DuplicateMessage(new MessageId(id), from));
    state.rememberAcknowledged(key);
    channel.send(group != null ? GroupStanzas.deliveryReceipt(id, group, from, isOwn(from))
        : MessageStanzas.deliveryReceipt(id, from, ownCopyChat(stanza, from, null)));
  }

  private UnackedMessageRecord decrypt(Node stanza, String id, Jid from, String encType,
      byte[] ciphertext, SenderIds senderIds) throws Failure, DuplicateMessageException {
    StorePlaintextBeforeSession capture = new StorePlaintextBeforeSession(stanza, id, from, encType,
        senderIds);
    try {
      switch (encType) {
        case "pkmsg" -> sessions.decryptPreKey(from, ciphertext, capture);
        case "msg" -> {
          if (!sessions.has(from)) {
            throw new NoSessionException("no session");
          }
          sessions.decrypt(from, ciphertext, capture);
        }
        default -> throw new Failure("unknown-enc-type", null);
      }
    } catch (NoSessionException e) {
      throw new Failure("no-session", e);
    } catch (InvalidKeyIdException e) {
      throw new Failure("unknown-prekey", e);
    } catch (InvalidMessageException e) {
      throw new Failure(isBadMac(e) ? "bad-mac" : "invalid-message", e);
    } catch (UntrustedIdentityException e) {
      throw new Failure("invalid-message", e);
    }
    if (capture.failure != null) {
      throw capture.failure;
    }
    return capture.record;
  }

  /**
   * Unpads and parses the plaintext and stores it before the session that used its key (a
   * protocol message is receipted at once, so it is not stored). An unusable plaintext is not
   * stored and fails the message after the session is stored, as it cannot improve on a retry.
   */
  private final class StorePlaintextBeforeSession implements DecryptionCallback {
    private final Node stanza;
    private final String id;
    private final Jid from;
    private final String encType;
    private final SenderIds senderIds;
    UnackedMessageRecord record;
    Failure failure;

    StorePlaintextBeforeSession(Node stanza, String id, Jid from, String encType,
        SenderIds senderIds) {
      this.stanza = stanza;
      this.id = id;
      this.from = from;
      this.encType = encType;
      this.senderIds = senderIds;
    }

    @Override
    public void handlePlaintext(byte[] padded) {
      try {
        byte[] plaintext = Padding.unpad(padded);
        MessageContents.Parsed parsed = parse(plaintext);
        record = new UnackedMessageRecord(message(stanza, id, from, encType, parsed, senderIds),
            ownCopyChat(stanza, from, parsed.deviceSentDestination()), plaintext);
        if (!(parsed.content() instanceof MessageContent.Protocol)) {
          unacked.store(record);
        }
      } catch (InvalidMessageException e) {
        failure = new Failure("bad-padding", e);
      } catch (Failure e) {
        failure = e;
      }
    }
  }

  private static boolean isBadMac(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if ("bad MAC".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  static MessageContents.Parsed parse(byte[] plaintext) throws Failure {
    try {
      return MessageContents.parse(plaintext);
    } catch (InvalidProtocolBufferException e) {
      throw new Failure("bad-protobuf", e);
    }
  }

  private IncomingMessage message(Node stanza, String id, Jid from, String encType,
      MessageContents.Parsed parsed, SenderIds senderIds) {
    Jid ownChat = ownCopyChat(stanza, from, parsed.deviceSentDestination());
    Jid chat = ownChat != null ? ownChat : chatOf(from, senderIds);
    return new IncomingMessage(new MessageId(id), chat, device(from), ownChat != null,
        timestamp(stanza), stanza.attr("notify"), parsed.content(),
        "1".equals(stanza.attr("offline")), encType, senderIds.pn(), senderIds.lid());
  }

  static Jid device(Jid from) {
    return from.hasDevice() ? from : from.withDevice(0);
  }

  void deliver(UnackedMessageRecord record, String key) {
    IncomingMessage message = record.message();
    String id = message.id().value();
    if (message.content() instanceof MessageContent.Protocol) {
      state.rememberAcknowledged(key);
      channel.send(receipt(message, record.ownCopyChat()));
      return;
    }
    state.addUnacked(MessagingState.key(message.sender(), id),
        new MessagingState.Unacked(message, record.ownCopyChat()));
    log.debug("message received id={} sender={} encType={}", id, message.sender().masked(),
        message.encType());
    events.emit(new MessageReceived(message));
  }

  void fail(Node stanza, String id, Jid from, Failure failure) {
    int total = state.countFailure(failure.reason);
    log.warn("decrypt failed id={} sender={} reason={} total={}", id, from.masked(),
        failure.reason, total);
    events.emit(new DecryptionFailed(new MessageId(id), from, failure.reason, total));
    int count = state.countRetry(MessagingState.key(from, id));
    if (count <= MessagingState.MAX_RETRIES) {
      boolean withKeys = count > 1 || "no-session".equals(failure.reason)
          || !sessions.has(from);
      channel.send(MessageStanzas.retryReceipt(stanza, count, auth.credentials().registrationId(),
          withKeys ? retryKeys.create() : null));
    }
    channel.send(MessageStanzas.ackFor(stanza, MessageStanzas.NACK_UNHANDLED));
  }

  /** Whether {@code device} is one of our own devices (by phone number or LID). */
  boolean isOwn(Jid device) {
    Me me = new Me(auth.credentials().me(), auth.credentials().lid());
    return device.user().equals(me.pn.user())
        || (me.lid != null && device.user().equals(me.lid.user()));
  }

  /** For a copy from another of our own devices: the chat it went to, else null (§9.1). */
  private Jid ownCopyChat(Node stanza, Jid from, String dsmDestination) {
    Me me = new Me(auth.credentials().me(), auth.credentials().lid());
    boolean own = from.user().equals(me.pn.user())
        || (me.lid != null && from.user().equals(me.lid.user()));
    if (!own) {
      return null;
    }
    Jid recipient = Jid.tryParse(stanza.attr("recipient"));
    if (recipient == null && dsmDestination != null) {
      recipient = Jid.tryParse(dsmDestination);
    }
    return recipient == null ? from.toNonDevice() : recipient.toNonDevice();
  }

  private record Me(Jid pn, Jid lid) {
  }

  /** A LID sender's chat is its phone-number JID when known (the chat the application keys on). */
  private static Jid chatOf(Jid from, SenderIds senderIds) {
    if (from.isLid() && senderIds.pn() != null) {
      return senderIds.pn();
    }
    return from.toNonDevice();
  }

  /** The sender's phone-number and LID user JIDs, each null when unknown (§9.1). */
  private record SenderIds(Jid pn, Jid lid) {
  }

  /**
   * The sender's two identities (§9.1): {@code from} gives one; the other comes from
   * {@code sender_lid} (PN-addressed) or {@code sender_pn} (LID-addressed), and is stored as a
   * mapping (§8.4), else from a mapping stored earlier. A malformed attribute is logged and
   * ignored; the message itself is still received.
   */
  private SenderIds senderIds(Node stanza, String id, Jid from) {
    if (from.isUser()) {
      Jid lid = otherIdentity(stanza, id, "sender_lid", true);
      if (lid != null) {
        lids.store(from, lid);
        return new SenderIds(from.toNonDevice(), lid);
      }
      return new SenderIds(from.toNonDevice(), lids.lidOf(from).orElse(null));
    }
    if (from.isLid()) {
      Jid pn = otherIdentity(stanza, id, "sender_pn", false);
      if (pn != null) {
        lids.store(pn, from);
        return new SenderIds(pn, from.toNonDevice());
      }
      return new SenderIds(lids.phoneNumberOf(from).orElse(null), from.toNonDevice());
    }
    return new SenderIds(null, null);
  }

  private static Jid otherIdentity(Node stanza, String id, String attribute, boolean lid) {
    String value = stanza.attr(attribute);
    if (value == null) {
      return null;
    }
    Jid jid = Jid.tryParse(value);
    if (jid == null || (lid ? !jid.isLid() : !jid.isUser()) || jid.user().isEmpty()
        || !jid.user().chars().allMatch(c -> c >= '0' && c <= '9')) {
      log.warn("message attribute ignored id={} attribute={} reason=malformed-{}", id, attribute,
          lid ? "lid" : "phone-number-jid");
      return null;
    }
    return jid.toNonDevice();
  }

  Instant timestamp(Node stanza) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(stanza.attrOr("t", "")));
    } catch (NumberFormatException e) {
      return config.clock().instant();
    }
  }
}
