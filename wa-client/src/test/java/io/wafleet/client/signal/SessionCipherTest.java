package io.wafleet.client.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionCipherTest {

  private Party alice;
  private Party bob;

  @BeforeEach
  void setUp() {
    alice = new Party("15550001111", 0, 1111);
    bob = new Party("15550002222", 1, 2222);
  }

  @Test
  void encrypt_beforeAnyReply_producesPreKeyMessagesStartingWith33() throws Exception {
    alice.startSessionWith(bob);
    CiphertextMessage first = alice.send(bob, "hello");
    CiphertextMessage second = alice.send(bob, "again");

    assertEquals(CiphertextMessage.Type.PREKEY, first.type());
    assertEquals("pkmsg", first.type().wireType());
    assertEquals(CiphertextMessage.Type.PREKEY, second.type());
    assertEquals(0x33, first.serialized()[0] & 0xFF);
    assertTrue(alice.store.loadSession(bob.address).hasPendingPreKey());
  }

  @Test
  void conversation_pkmsgThenReply_switchesToWhisperMessages() throws Exception {
    alice.startSessionWith(bob);
    assertEquals("hello", bob.receive(alice, alice.send(bob, "hello")));

    CiphertextMessage reply = bob.send(alice, "hi alice");
    assertEquals(CiphertextMessage.Type.WHISPER, reply.type());
    assertEquals("msg", reply.type().wireType());
    assertEquals("hi alice", alice.receive(bob, reply));

    assertFalse(alice.store.loadSession(bob.address).hasPendingPreKey());
    CiphertextMessage next = alice.send(bob, "how are you");
    assertEquals(CiphertextMessage.Type.WHISPER, next.type());
    assertEquals(0x33, next.serialized()[0] & 0xFF);
    assertEquals("how are you", bob.receive(alice, next));
  }

  @Test
  void decryptPreKeyMessage_newSession_deletesUsedPreKeyAndSavesIdentity() throws Exception {
    PreKeyBundle bundle = bob.bundle();
    new SessionBuilder(alice.store, bob.address).process(bundle);

    bob.receive(alice, alice.send(bob, "hello"));

    assertFalse(bob.store.containsPreKey(bundle.preKeyId()));
    assertTrue(bob.store.containsPreKey(bundle.preKeyId() + 1));
    assertTrue(bob.store.containsSession(alice.address));
    assertEquals(1111, bob.store.loadSession(alice.address).remoteRegistrationId().getAsInt());
    assertTrue(bob.store.loadIdentity(alice.address).isPresent());
  }

  @Test
  void decryptPreKeyMessage_severalBeforeReply_reuseOneSession() throws Exception {
    alice.startSessionWith(bob);
    List<CiphertextMessage> sent = List.of(
        alice.send(bob, "one"), alice.send(bob, "two"), alice.send(bob, "three"));

    assertEquals("two", bob.receive(alice, sent.get(1)));
    assertEquals("one", bob.receive(alice, sent.get(0)));
    assertEquals("three", bob.receive(alice, sent.get(2)));
    assertEquals(0, bob.store.loadSession(alice.address).archivedStateCount());
  }

  @Test
  void process_bundleWithoutOneTimePreKey_conversationWorks() throws Exception {
    new SessionBuilder(alice.store, bob.address).process(bob.bundleWithoutPreKey());

    assertEquals("no opk", bob.receive(alice, alice.send(bob, "no opk")));
    assertEquals("fine", alice.receive(bob, bob.send(alice, "fine")));
    assertTrue(bob.store.containsPreKey(1));
  }

  @Test
  void conversation_longInterleavedBothWays_everyMessageDecrypts() throws Exception {
    alice.startSessionWith(bob);
    Random random = new Random(42);
    for (int round = 0; round < 60; round++) {
      Party from = random.nextBoolean() ? alice : bob;
      Party to = from == alice ? bob : alice;
      if (!to.store.containsSession(from.address)) {
        from = alice;
        to = bob;
      }
      int burst = 1 + random.nextInt(5);
      for (int i = 0; i < burst; i++) {
        String text = "round " + round + " message " + i;
        assertEquals(text, to.receive(from, from.send(to, text)));
      }
    }
  }

  @Test
  void decryptMessage_outOfOrderWithinBound_decryptsEveryMessage() throws Exception {
    establish();
    Random random = new Random(7);
    for (int round = 0; round < 4; round++) {
      Party from = round % 2 == 0 ? alice : bob;
      Party to = from == alice ? bob : alice;
      List<Integer> order = new ArrayList<>();
      List<CiphertextMessage> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        sent.add(from.send(to, "m" + round + "." + i));
        order.add(i);
      }
      Collections.shuffle(order, random);
      for (int i : order) {
        assertEquals("m" + round + "." + i, to.receive(from, sent.get(i)));
      }
    }
  }

  @Test
  void decryptMessage_lateMessageFromPreviousChain_decryptsAfterRatchetStep() throws Exception {
    establish();
    CiphertextMessage late = alice.send(bob, "late");
    CiphertextMessage onTime = alice.send(bob, "on time");
    assertEquals("on time", bob.receive(alice, onTime));
    assertEquals("reply", alice.receive(bob, bob.send(alice, "reply")));
    assertEquals("new chain", bob.receive(alice, alice.send(bob, "new chain")));

    assertEquals("late", bob.receive(alice, late));
  }

  @Test
  void decryptMessage_afterRecordSerializedMidConversation_conversationContinues() throws Exception {
    establish();
    Deque<CiphertextMessage> inFlight = new ArrayDeque<>();
    inFlight.add(alice.send(bob, "in flight 1"));
    inFlight.add(alice.send(bob, "in flight 2"));

    for (Party party : List.of(alice, bob)) {
      SignalAddress peer = party == alice ? bob.address : alice.address;
      byte[] bytes = party.store.loadSession(peer).serialize();
      SessionRecord restored = new SessionRecord(bytes);
      assertTrue(java.util.Arrays.equals(bytes, restored.serialize()));
      party.store.storeSession(peer, restored);
    }

    assertEquals("in flight 2", bob.receive(alice, inFlight.removeLast()));
    assertEquals("in flight 1", bob.receive(alice, inFlight.removeLast()));
    assertEquals("after restore", alice.receive(bob, bob.send(alice, "after restore")));
    assertEquals("still going", bob.receive(alice, alice.send(bob, "still going")));
  }

  @Test
  void decryptPreKeyMessage_peerResetWithNewBaseKey_archivesOldStateAndKeepsIt() throws Exception {
    establish();
    CiphertextMessage oldSessionMessage = alice.send(bob, "old session");

    alice.startSessionWith(bob);
    CiphertextMessage fresh = alice.send(bob, "new session");
    assertEquals(CiphertextMessage.Type.PREKEY, fresh.type());
    assertEquals("new session", bob.receive(alice, fresh));

    SessionRecord bobsRecord = bob.store.loadSession(alice.address);
    assertEquals(1, bobsRecord.archivedStateCount());
    assertEquals("old session", bob.receive(alice, oldSessionMessage));
    assertEquals("answer", alice.receive(bob, bob.send(alice, "answer")));
    assertEquals(CiphertextMessage.Type.WHISPER, alice.send(bob, "x").type());
  }

  @Test
  void process_newBundleWhileSessionOpen_archivesPreviousState() throws Exception {
    establish();
    alice.startSessionWith(bob);

    SessionRecord record = alice.store.loadSession(bob.address);
    assertEquals(1, record.archivedStateCount());
    assertTrue(record.hasPendingPreKey());
  }

  /** Alice initiates, Bob decrypts and answers, Alice decrypts: both sides have sent and received. */
  private void establish() throws Exception {
    alice.startSessionWith(bob);
    assertEquals("hello", bob.receive(alice, alice.send(bob, "hello")));
    assertEquals("welcome", alice.receive(bob, bob.send(alice, "welcome")));
  }
}
