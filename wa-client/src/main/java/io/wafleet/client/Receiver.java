package io.wafleet.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.DecryptionFailed;
import io.wafleet.client.event.DuplicateMessage;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.message.MessageContents;
import io.wafleet.client.signal.DuplicateMessageException;
import io.wafleet.client.signal.InvalidKeyIdException;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import io.wafleet.client.signal.UntrustedIdentityException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives 1:1 messages (§9): decrypts {@code pkmsg}/{@code msg}, unpads, parses, and emits
 * {@link MessageReceived}; the delivery receipt waits for {@link #acknowledge}. Duplicates (same
 * sender and id, or a used key) give {@link DuplicateMessage}; failures give
 * {@link DecryptionFailed}, a retry receipt (§9.4, at most 5 per message) and an error ack; the
 * connection stays up. Not thread-safe: the inbound thread only, in arrival order.
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

  private final ConnectionContext ctx;
  private final MessagingState state;
  private final SignalSessions sessions;
  private final LidMappings lids;
  private final RetryKeysFactory retryKeys;

  Receiver(ConnectionContext ctx, MessagingState state, SignalSessions sessions, LidMappings lids) {
    this.ctx = ctx;
    this.state = state;
    this.sessions = sessions;
    this.lids = lids;
    this.retryKeys = new RetryKeysFactory(ctx);
  }

  void onMessage(Node stanza) {
    String id = stanza.attr("id");
    Jid from = Jid.tryParse(stanza.attr("from"));
    Node enc = stanza.child("enc");
    if (id == null || from == null || enc == null || enc.bytes() == null) {
      ctx.send(MessageStanzas.ackFor(stanza, null));
      return;
    }
    learnMappings(stanza, from);
    String key = MessagingState.key(from, id);
    if (duplicate(key, id, from)) {
      return;
    }
    String encType = enc.attrOr("type", "");
    try {
      MessageContent content = "skmsg".equals(encType)
          ? new MessageContent.Unsupported("skmsg") : null;
      MessageContents.Parsed parsed = content == null ? parse(decrypt(from, encType, enc.bytes()))
          : new MessageContents.Parsed(content, null, null);
      deliver(stanza, id, from, parsed, encType, key);
    } catch (DuplicateMessageException e) {
      log.debug("replayed ciphertext id={} sender={}", id, from.masked());
      ctx.emit(new DuplicateMessage(new MessageId(id), from));
      state.rememberAcknowledged(key);
      ctx.send(MessageStanzas.deliveryReceipt(id, from, ownCopyChat(stanza, from, null)));
    } catch (Failure e) {
      fail(stanza, id, from, e);
    }
  }

  /** Sends the delivery receipt of an acknowledged message (§9.3); false if not pending. */
  boolean acknowledge(IncomingMessage message) {
    MessagingState.Unacked entry = state.removeUnacked(
        MessagingState.key(message.sender(), message.id().value()));
    if (entry == null) {
      return false;
    }
    ctx.send(MessageStanzas.deliveryReceipt(message.id().value(), message.sender(),
        entry.ownCopyChat));
    return true;
  }

  private boolean duplicate(String key, String id, Jid from) {
    MessagingState.Unacked pending = state.unacked(key);
    if (pending == null && !state.wasAcknowledged(key)) {
      return false;
    }
    ctx.emit(new DuplicateMessage(new MessageId(id), from));
    if (pending == null) {
      ctx.send(MessageStanzas.deliveryReceipt(id, from, null));
    } else if (pending.acknowledged) {
      state.removeUnacked(key);
      ctx.send(MessageStanzas.deliveryReceipt(id, from, pending.ownCopyChat));
    }
    return true;
  }

  private byte[] decrypt(Jid from, String encType, byte[] ciphertext)
      throws Failure, DuplicateMessageException {
    try {
      byte[] padded = switch (encType) {
        case "pkmsg" -> sessions.decryptPreKey(from, ciphertext);
        case "msg" -> {
          if (!sessions.has(from)) {
            throw new NoSessionException("no session");
          }
          yield sessions.decrypt(from, ciphertext);
        }
        default -> throw new Failure("unknown-enc-type", null);
      };
      try {
        return Padding.unpad(padded);
      } catch (InvalidMessageException e) {
        throw new Failure("bad-padding", e);
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
  }

  private static boolean isBadMac(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if ("bad MAC".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static MessageContents.Parsed parse(byte[] plaintext) throws Failure {
    try {
      return MessageContents.parse(plaintext);
    } catch (InvalidProtocolBufferException e) {
      throw new Failure("bad-protobuf", e);
    }
  }

  private void deliver(Node stanza, String id, Jid from, MessageContents.Parsed parsed,
      String encType, String key) {
    Jid ownChat = ownCopyChat(stanza, from, parsed.deviceSentDestination());
    Jid chat = ownChat != null ? ownChat : chatOf(stanza, from);
    Jid device = from.hasDevice() ? from : from.withDevice(0);
    IncomingMessage message = new IncomingMessage(new MessageId(id), chat, device, ownChat != null,
        timestamp(stanza), stanza.attr("notify"), parsed.content(),
        "1".equals(stanza.attr("offline")), encType);
    if (parsed.content() instanceof MessageContent.Protocol) {
      state.rememberAcknowledged(key);
      ctx.send(MessageStanzas.deliveryReceipt(id, from, ownChat));
      return;
    }
    state.addUnacked(MessagingState.key(device, id), new MessagingState.Unacked(message, ownChat));
    log.debug("message received id={} sender={} encType={}", id, from.masked(), encType);
    ctx.emit(new MessageReceived(message));
  }

  private void fail(Node stanza, String id, Jid from, Failure failure) {
    int total = state.countFailure(failure.reason);
    log.warn("decrypt failed id={} sender={} reason={} total={}", id, from.masked(),
        failure.reason, total);
    ctx.emit(new DecryptionFailed(new MessageId(id), from, failure.reason, total));
    int count = state.countRetry(MessagingState.key(from, id));
    if (count <= MessagingState.MAX_RETRIES) {
      boolean withKeys = count > 1 || "no-session".equals(failure.reason)
          || !sessions.has(from);
      ctx.send(MessageStanzas.retryReceipt(stanza, count, ctx.credentials().registrationId(),
          withKeys ? retryKeys.create() : null));
    }
    ctx.send(MessageStanzas.ackFor(stanza, MessageStanzas.NACK_UNHANDLED));
  }

  /** For a copy from another of our own devices: the chat it went to, else null (§9.1). */
  private Jid ownCopyChat(Node stanza, Jid from, String dsmDestination) {
    Me me = new Me(ctx.credentials().me(), ctx.credentials().lid());
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

  private Jid chatOf(Node stanza, Jid from) {
    if (from.isLid()) {
      Jid pn = Jid.tryParse(stanza.attr("sender_pn"));
      if (pn != null) {
        return pn.toNonDevice();
      }
      String pnUser = lids.pnUser(from.user());
      return pnUser == null ? from.toNonDevice() : Jid.of(pnUser, Jid.SERVER);
    }
    return from.toNonDevice();
  }

  private void learnMappings(Node stanza, Jid from) {
    Jid lid = Jid.tryParse(stanza.attr("sender_lid"));
    Jid pn = Jid.tryParse(stanza.attr("sender_pn"));
    if (from.isUser() && lid != null) {
      lids.store(from, lid);
    } else if (from.isLid() && pn != null) {
      lids.store(pn, from);
    }
  }

  private Instant timestamp(Node stanza) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(stanza.attrOr("t", "")));
    } catch (NumberFormatException e) {
      return ctx.config().clock().instant();
    }
  }
}
