package io.wafleet.client.internal.messaging;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContents;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.proto.PersistedUnackedMessage;
import java.time.Instant;
import java.util.Objects;

/**
 * A decrypted message the application has not acknowledged, as stored under
 * {@link io.wafleet.client.auth.SignalKeyStore#UNACKED_MESSAGE}: the {@link IncomingMessage}
 * fields, the chat of an own-device copy (for the receipt) and the unpadded {@code Message}
 * bytes, from which the content is parsed again on load. Format: {@code PersistedUnackedMessage}
 * in wa_auth.proto with {@code version} {@value #VERSION}. Immutable (the plaintext is copied in
 * and out); thread-safe.
 *
 * @param message what {@code MessageReceived} carried
 * @param ownCopyChat for a copy from another of our devices the chat it went to, else null
 * @param plaintext the unpadded {@code Message} protobuf
 */
record UnackedMessageRecord(IncomingMessage message, Jid ownCopyChat, byte[] plaintext) {

  static final int VERSION = 1;

  UnackedMessageRecord {
    Objects.requireNonNull(message, "message == null");
    plaintext = Objects.requireNonNull(plaintext, "plaintext == null").clone();
  }

  @Override
  public byte[] plaintext() {
    return plaintext.clone();
  }

  byte[] serialize() {
    PersistedUnackedMessage.Builder b = PersistedUnackedMessage.newBuilder()
        .setVersion(VERSION)
        .setId(message.id().value())
        .setSender(message.sender().toString())
        .setChat(message.chat().toString())
        .setFromMe(message.fromMe())
        .setTimestampSeconds(message.timestamp().getEpochSecond())
        .setOffline(message.offline())
        .setEncType(message.encType())
        .setMessage(ByteString.copyFrom(plaintext));
    if (ownCopyChat != null) {
      b.setOwnCopyChat(ownCopyChat.toString());
    }
    if (message.pushName() != null) {
      b.setPushName(message.pushName());
    }
    if (message.senderPn() != null) {
      b.setSenderPn(message.senderPn().toString());
    }
    if (message.senderLid() != null) {
      b.setSenderLid(message.senderLid().toString());
    }
    return b.build().toByteArray();
  }

  /**
   * Reads a stored blob.
   *
   * @throws InvalidProtocolBufferException if it is not a version-{@value #VERSION} record with
   *     valid JIDs, id and {@code Message} bytes
   */
  static UnackedMessageRecord parse(byte[] blob) throws InvalidProtocolBufferException {
    PersistedUnackedMessage p = PersistedUnackedMessage.parseFrom(blob);
    if (p.getVersion() != VERSION) {
      throw new InvalidProtocolBufferException("unknown version " + p.getVersion());
    }
    Jid sender = Jid.tryParse(p.getSender());
    Jid chat = Jid.tryParse(p.getChat());
    Jid ownChat = p.hasOwnCopyChat() ? Jid.tryParse(p.getOwnCopyChat()) : null;
    Jid senderPn = p.hasSenderPn() ? Jid.tryParse(p.getSenderPn()) : null;
    Jid senderLid = p.hasSenderLid() ? Jid.tryParse(p.getSenderLid()) : null;
    if (p.getId().isEmpty() || sender == null || chat == null || p.getEncType().isEmpty()
        || (p.hasOwnCopyChat() && ownChat == null)
        || (p.hasSenderPn() && (senderPn == null || !senderPn.isUser() || senderPn.hasDevice()))
        || (p.hasSenderLid() && (senderLid == null || !senderLid.isLid() || senderLid.hasDevice()))) {
      throw new InvalidProtocolBufferException("incomplete unacked-message record");
    }
    byte[] plaintext = p.getMessage().toByteArray();
    MessageContents.Parsed parsed = MessageContents.parse(plaintext);
    IncomingMessage message = new IncomingMessage(new MessageId(p.getId()), chat, sender,
        p.getFromMe(), Instant.ofEpochSecond(p.getTimestampSeconds()),
        p.hasPushName() ? p.getPushName() : null, parsed.content(), p.getOffline(),
        p.getEncType(), senderPn, senderLid);
    return new UnackedMessageRecord(message, ownChat, plaintext);
  }
}
