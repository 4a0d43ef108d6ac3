package io.wafleet.client.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DecryptionCallback}: sees the plaintext before the session is stored (§13). */
class SessionCipherCallbackTest {

  private Party alice;
  private Party bob;

  @BeforeEach
  void setUp() {
    alice = new Party("15550001111", 0, 1111);
    bob = new Party("15550002222", 1, 2222);
  }

  @Test
  void decryptPreKeyMessage_callbackThrows_nothingStoredAndMessageDecryptsAgain() throws Exception {
    alice.startSessionWith(bob);
    CiphertextMessage first = alice.send(bob, "hello");
    SessionCipher cipher = bob.cipherFor(alice);

    assertThrows(IllegalStateException.class, () -> cipher.decryptPreKeyMessage(
        first.serialized(), padded -> {
          throw new IllegalStateException("crash before the session is stored");
        }));
    assertFalse(bob.store.containsSession(alice.address), "session not stored");

    List<byte[]> seen = new ArrayList<>();
    byte[] padded = cipher.decryptPreKeyMessage(first.serialized(), seen::add);
    assertEquals(1, seen.size());
    assertArrayEquals(padded, seen.get(0));
    assertEquals("hello", new String(padded, StandardCharsets.UTF_8));
    assertTrue(bob.store.containsSession(alice.address));
    assertThrows(DuplicateMessageException.class,
        () -> cipher.decryptPreKeyMessage(first.serialized()));
  }

  @Test
  void decryptMessage_callbackThrows_keyNotUsedUp() throws Exception {
    alice.startSessionWith(bob);
    assertEquals("hello", bob.receive(alice, alice.send(bob, "hello")));
    assertEquals("welcome", alice.receive(bob, bob.send(alice, "welcome")));
    CiphertextMessage next = alice.send(bob, "next");
    assertEquals(CiphertextMessage.Type.WHISPER, next.type());
    SessionCipher cipher = bob.cipherFor(alice);

    assertThrows(IllegalStateException.class, () -> cipher.decryptMessage(next.serialized(),
        padded -> {
          throw new IllegalStateException("crash before the session is stored");
        }));
    List<byte[]> seen = new ArrayList<>();
    byte[] padded = cipher.decryptMessage(next.serialized(), seen::add);
    assertEquals("next", new String(padded, StandardCharsets.UTF_8));
    assertEquals(1, seen.size());
    assertThrows(DuplicateMessageException.class,
        () -> cipher.decryptMessage(next.serialized(), seen::add));
    assertEquals(1, seen.size(), "no callback for a used key");
  }
}
