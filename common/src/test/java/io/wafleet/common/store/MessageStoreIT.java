package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.ChatThread;
import io.wafleet.common.model.Direction;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.StoredMessage;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MessageStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final String CHAT = "40711111111@s.whatsapp.net";
  private MessageStore messages;

  @BeforeEach
  void setUp() {
    messages = new MessageStore(FIRESTORE.firestore(), new ManualClock(T0));
  }

  @Test
  void store_redelivery_isStoredOnceAndUnreadCountedOnce() {
    StoredMessage m = inbound("3EB0A1", T0);
    assertTrue(messages.store(m));
    assertFalse(messages.store(m));
    String threadId = ChatThread.idFor("acc-1", CHAT);
    ChatThread thread = messages.loadThread(threadId).orElseThrow();
    assertEquals(1, thread.unread());
    assertEquals(T0, thread.lastMessageAt());
    StoredMessage loaded = messages.load(threadId, "3EB0A1").orElseThrow();
    assertEquals("hello", loaded.text());
    assertEquals(Direction.INBOUND, loaded.direction());
  }

  @Test
  void advanceStatus_receiptsOutOfOrder_neverRegress_andUnknownMessageIsNoOp() {
    messages.store(new StoredMessage("3EB0B1", "acc-1", CHAT, Direction.OUTBOUND, "me", CHAT, "hi",
        OutboxStatus.SENDING.name(), null, T0, null));
    String threadId = ChatThread.idFor("acc-1", CHAT);
    assertTrue(messages.advanceStatus("acc-1", CHAT, "3EB0B1", OutboxStatus.DELIVERED));
    assertFalse(messages.advanceStatus("acc-1", CHAT, "3EB0B1", OutboxStatus.SENT));
    assertEquals(OutboxStatus.DELIVERED.name(), messages.load(threadId, "3EB0B1").orElseThrow().status());
    assertTrue(messages.advanceStatus("acc-1", CHAT, "3EB0B1", OutboxStatus.READ));
    assertFalse(messages.advanceStatus("acc-1", CHAT, "3EB0B1", OutboxStatus.READ));
    assertEquals(OutboxStatus.READ.name(), messages.load(threadId, "3EB0B1").orElseThrow().status());
    assertFalse(messages.advanceStatus("acc-1", CHAT, "3EB0NONE", OutboxStatus.DELIVERED));
    assertEquals(0, messages.loadThread(threadId).orElseThrow().unread(), "outbound messages are not unread");
  }

  @Test
  void listMessages_pagesInTimestampOrder() {
    for (int i = 0; i < 5; i++) {
      messages.store(inbound("id-" + (4 - i), T0.plusSeconds(4 - i)));
    }
    String threadId = ChatThread.idFor("acc-1", CHAT);
    List<String> first = messages.listMessages(threadId, 3, null).stream().map(StoredMessage::waMessageId).toList();
    assertEquals(List.of("id-0", "id-1", "id-2"), first);
    List<String> second = messages.listMessages(threadId, 3, "id-2").stream().map(StoredMessage::waMessageId).toList();
    assertEquals(List.of("id-3", "id-4"), second);
  }

  @Test
  void listThreads_mostRecentFirst() {
    messages.store(inbound("a", T0));
    messages.store(new StoredMessage("b", "acc-1", "40722222222@s.whatsapp.net", Direction.INBOUND,
        "40722222222@s.whatsapp.net", "me", "x", null, null, T0.plusSeconds(10), null));
    List<String> ids = messages.listThreads("acc-1", 10, null).stream().map(ChatThread::chatJid).toList();
    assertEquals(List.of("40722222222@s.whatsapp.net", CHAT), ids);
  }

  private static StoredMessage inbound(String id, Instant ts) {
    return new StoredMessage(id, "acc-1", CHAT, Direction.INBOUND, CHAT, "40700000001@s.whatsapp.net", "hello",
        null, "Ana", ts, null);
  }
}
