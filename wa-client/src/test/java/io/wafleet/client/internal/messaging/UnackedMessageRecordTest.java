package io.wafleet.client.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.proto.Message;
import io.wafleet.client.proto.PersistedUnackedMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored form of an unacknowledged message, and its store's ids and garbage handling. */
class UnackedMessageRecordTest {

  private static final Jid SENDER = Jid.of("15550001111", 3, Jid.SERVER);
  private static final Jid CHAT = Jid.of("15550001111", 0, Jid.SERVER).toNonDevice();

  @Test
  void serialize_thenParse_givesTheSameMessage() throws Exception {
    UnackedMessageRecord record = record("3EB0AA", "Tester", null);
    UnackedMessageRecord parsed = UnackedMessageRecord.parse(record.serialize());
    assertEquals(record.message(), parsed.message());
    assertEquals(new MessageContent.Text("hello"), parsed.message().content());
    assertNull(parsed.ownCopyChat());
    assertArrayEquals(record.plaintext(), parsed.plaintext());
  }

  @Test
  void serialize_ownCopyWithoutPushName_keepsChatAndNull() throws Exception {
    Jid bob = Jid.of("15550002222", 0, Jid.SERVER).toNonDevice();
    UnackedMessageRecord record = record("3EB0BB", null, bob);
    UnackedMessageRecord parsed = UnackedMessageRecord.parse(record.serialize());
    assertEquals(bob, parsed.ownCopyChat());
    assertNull(parsed.message().pushName());
    assertEquals(record.message(), parsed.message());
  }

  @Test
  void parse_garbageOrWrongVersionOrMissingFields_throws() {
    byte[] valid = record("3EB0CC", "Tester", null).serialize();
    assertThrows(InvalidProtocolBufferException.class,
        () -> UnackedMessageRecord.parse(new byte[] {(byte) 0xff, 0x01, 0x02}));
    assertThrows(InvalidProtocolBufferException.class,
        () -> UnackedMessageRecord.parse(new byte[0]));
    assertThrows(InvalidProtocolBufferException.class, () -> UnackedMessageRecord.parse(
        PersistedUnackedMessage.parseFrom(valid).toBuilder().setVersion(2).build().toByteArray()));
    assertThrows(InvalidProtocolBufferException.class, () -> UnackedMessageRecord.parse(
        PersistedUnackedMessage.parseFrom(valid).toBuilder().setSender("").build().toByteArray()));
    assertThrows(InvalidProtocolBufferException.class, () -> UnackedMessageRecord.parse(
        PersistedUnackedMessage.parseFrom(valid).toBuilder()
            .setMessage(ByteString.copyFrom(new byte[] {(byte) 0xff})).build().toByteArray()));
  }

  @Test
  void load_randomBlobs_neverThrowAndReadAsAbsent() {
    InMemoryAuthState auth = InMemoryAuthState.create();
    UnackedMessages store = new UnackedMessages(auth.keys());
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] blob = new byte[random.nextInt(40)];
      random.nextBytes(blob);
      auth.keys().store(SignalKeyStore.UNACKED_MESSAGE,
          Map.of(UnackedMessages.storeId(SENDER, "3EB0X" + i), blob));
      assertTrue(store.load(SENDER, "3EB0X" + i).isEmpty(), "blob " + i);
    }
  }

  @Test
  void storeLoadDelete_roundTripUnderEscapedId() {
    InMemoryAuthState auth = InMemoryAuthState.create();
    UnackedMessages store = new UnackedMessages(auth.keys());
    UnackedMessageRecord record = record("3EB0/A%B", "Tester", null);
    store.store(record);
    String id = UnackedMessages.storeId(SENDER, "3EB0/A%B");
    assertEquals("15550001111:3@s.whatsapp.net|3EB0%2FA%25B", id);
    assertFalse(id.contains("/"));
    assertTrue(auth.keys().load(SignalKeyStore.UNACKED_MESSAGE, List.of(id)).containsKey(id));
    assertEquals(record.message(), store.load(SENDER, "3EB0/A%B").orElseThrow().message());
    store.delete(SENDER, "3EB0/A%B");
    assertTrue(store.load(SENDER, "3EB0/A%B").isEmpty());
  }

  @Test
  void storeId_deviceZeroWrittenOrNot_isTheSame() {
    Jid plain = Jid.of("15550001111", 0, Jid.SERVER).toNonDevice();
    assertEquals(UnackedMessages.storeId(plain, "X"),
        UnackedMessages.storeId(plain.withDevice(0), "X"));
  }

  private static UnackedMessageRecord record(String id, String pushName, Jid ownCopyChat) {
    byte[] plaintext = Message.newBuilder().setConversation("hello").build().toByteArray();
    IncomingMessage message = new IncomingMessage(new MessageId(id),
        ownCopyChat != null ? ownCopyChat : CHAT, SENDER, ownCopyChat != null,
        Instant.ofEpochSecond(1_700_000_000L), pushName, new MessageContent.Text("hello"), true,
        "msg");
    return new UnackedMessageRecord(message, ownCopyChat, plaintext);
  }
}
