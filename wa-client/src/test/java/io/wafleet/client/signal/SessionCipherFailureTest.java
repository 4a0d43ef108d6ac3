package io.wafleet.client.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.proto.WaSignalProtos.PreKeyWhisperMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionCipherFailureTest {

  private Party alice;
  private Party bob;

  @BeforeEach
  void setUp() {
    alice = new Party("15550001111", 0, 1111);
    bob = new Party("15550002222", 1, 2222);
  }

  @Test
  void decryptMessage_replayed_throwsDuplicate() throws Exception {
    establish();
    CiphertextMessage message = alice.send(bob, "once");
    bob.receive(alice, message);

    assertThrows(DuplicateMessageException.class, () -> bob.receive(alice, message));
  }

  @Test
  void decryptPreKeyMessage_replayed_throwsDuplicate() throws Exception {
    alice.startSessionWith(bob);
    CiphertextMessage message = alice.send(bob, "once");
    bob.receive(alice, message);

    assertThrows(DuplicateMessageException.class, () -> bob.receive(alice, message));
  }

  @Test
  void decryptMessage_counterBeyondSkipBound_throwsInvalidMessage() throws Exception {
    establish();
    List<CiphertextMessage> sent = new ArrayList<>();
    for (int i = 0; i <= Chain.MAX_SKIP; i++) {
      sent.add(alice.send(bob, "m" + i));
    }
    // libsignal-node: a fresh chain accepts counters up to 1999 (2000 keys ahead), not 2000.
    assertThrows(InvalidMessageException.class, () -> bob.receive(alice, sent.get(Chain.MAX_SKIP)));
    assertEquals("m1999", bob.receive(alice, sent.get(Chain.MAX_SKIP - 1)));
    assertEquals("m0", bob.receive(alice, sent.get(0)));
  }

  @Test
  void decryptMessage_flippedBitAnywhere_throwsInvalidMessageAndKeepsSession() throws Exception {
    establish();
    byte[] good = alice.send(bob, "tamper with me").serialized();
    for (int i = 1; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      assertThrows(InvalidMessageException.class, () -> bob.cipherFor(alice).decryptMessage(bad),
          "flipped byte " + i);
    }
    assertArrayEquals("tamper with me", bob.cipherFor(alice).decryptMessage(good));
  }

  @Test
  void decryptMessage_badMac_throwsInvalidMessage() throws Exception {
    establish();
    byte[] bad = alice.send(bob, "mac").serialized();
    bad[bad.length - 1] ^= (byte) 0x80;

    InvalidMessageException e = assertThrows(InvalidMessageException.class,
        () -> bob.cipherFor(alice).decryptMessage(bad));
    assertTrue(causeChainMentions(e, "bad MAC"), e.toString());
  }

  @Test
  void decryptMessage_badVersionByte_throwsInvalidMessage() throws Exception {
    establish();
    byte[] good = alice.send(bob, "version").serialized();
    for (int version : new int[] {0x23, 0x34, 0x22, 0x00, 0xF4}) {
      byte[] bad = good.clone();
      bad[0] = (byte) version;
      InvalidMessageException e = assertThrows(InvalidMessageException.class,
          () -> bob.cipherFor(alice).decryptMessage(bad));
      assertTrue(e.getMessage().contains("version"), e.getMessage());
    }
  }

  @Test
  void decryptPreKeyMessage_badOuterVersionByte_throwsInvalidMessage() throws Exception {
    alice.startSessionWith(bob);
    byte[] bad = alice.send(bob, "version").serialized();
    bad[0] = 0x34;

    assertThrows(InvalidMessageException.class, () -> bob.cipherFor(alice).decryptPreKeyMessage(bad));
  }

  @Test
  void decrypt_truncatedAtEveryLength_throwsInvalidMessage() throws Exception {
    alice.startSessionWith(bob);
    byte[] pkmsg = alice.send(bob, "truncate me").serialized();
    for (int length = 0; length < pkmsg.length; length++) {
      byte[] cut = Arrays.copyOf(pkmsg, length);
      assertThrows(InvalidMessageException.class, () -> bob.cipherFor(alice).decryptPreKeyMessage(cut),
          "pkmsg length " + length);
    }
    bob.receive(alice, alice.send(bob, "open it"));
    byte[] msg = bob.send(alice, "reply").serialized();
    for (int length = 0; length < msg.length; length++) {
      byte[] cut = Arrays.copyOf(msg, length);
      assertThrows(InvalidMessageException.class, () -> alice.cipherFor(bob).decryptMessage(cut),
          "msg length " + length);
    }
  }

  @Test
  void decrypt_randomGarbage_throwsOnlyInvalidMessage() throws Exception {
    establish();
    Random random = new Random(99);
    for (int i = 0; i < 300; i++) {
      byte[] garbage = new byte[random.nextInt(120)];
      random.nextBytes(garbage);
      if (garbage.length > 0 && random.nextBoolean()) {
        garbage[0] = 0x33;
      }
      assertThrows(InvalidMessageException.class, () -> bob.cipherFor(alice).decryptMessage(garbage));
      assertThrows(InvalidMessageException.class, () -> bob.cipherFor(alice).decryptPreKeyMessage(garbage));
    }
    assertEquals("still fine", bob.receive(alice, alice.send(bob, "still fine")));
  }

  @Test
  void decryptMessage_noSession_throwsNoSession() throws Exception {
    establish();
    Party carol = new Party("15550003333", 0, 3333);
    byte[] msg = alice.send(bob, "for bob").serialized();

    assertThrows(NoSessionException.class, () -> carol.cipherFor(alice).decryptMessage(msg));
  }

  @Test
  void encrypt_noSession_throwsNoSession() {
    assertThrows(NoSessionException.class, () -> alice.send(bob, "nobody home"));
  }

  @Test
  void decryptPreKeyMessage_unknownOneTimePreKey_throwsInvalidKeyIdAndStoresNothing() throws Exception {
    PreKeyBundle bundle = bob.bundle();
    new SessionBuilder(alice.store, bob.address).process(bundle);
    bob.store.deletePreKey(bundle.preKeyId());

    CiphertextMessage message = alice.send(bob, "hello");
    assertThrows(InvalidKeyIdException.class, () -> bob.receive(alice, message));
    assertFalse(bob.store.containsSession(alice.address));
  }

  @Test
  void decryptPreKeyMessage_unknownSignedPreKey_throwsInvalidKeyId() throws Exception {
    alice.startSessionWith(bob);
    bob.store.deleteSignedPreKey(Party.SIGNED_PRE_KEY_ID);

    CiphertextMessage message = alice.send(bob, "hello");
    assertThrows(InvalidKeyIdException.class, () -> bob.receive(alice, message));
  }

  @Test
  void decryptPreKeyMessage_innerMessageTampered_keepsPreKeyAndStoresNothing() throws Exception {
    PreKeyBundle bundle = bob.bundle();
    new SessionBuilder(alice.store, bob.address).process(bundle);
    byte[] good = alice.send(bob, "hello").serialized();
    PreKeyWhisperMessage proto = PreKeyWhisperMessage.parseFrom(Arrays.copyOfRange(good, 1, good.length));
    byte[] inner = proto.getMessage().toByteArray();
    inner[inner.length - 1] ^= 0x01;
    byte[] tampered = proto.toBuilder().setMessage(ByteString.copyFrom(inner)).build().toByteArray();
    byte[] bad = new byte[tampered.length + 1];
    bad[0] = 0x33;
    System.arraycopy(tampered, 0, bad, 1, tampered.length);

    assertThrows(InvalidMessageException.class, () -> bob.cipherFor(alice).decryptPreKeyMessage(bad));
    assertTrue(bob.store.containsPreKey(bundle.preKeyId()));
    assertFalse(bob.store.containsSession(alice.address));
  }

  @Test
  void process_badSignedPreKeySignature_throwsInvalidKey() {
    PreKeyBundle good = bob.bundle();
    byte[] signature = good.signedPreKeySignature();
    signature[10] ^= 0x01;
    PreKeyBundle bad = new PreKeyBundle(good.registrationId(), good.deviceId(), good.preKeyId(),
        good.preKeyPublic(), good.signedPreKeyId(), good.signedPreKeyPublic(), signature,
        good.identityKey());

    assertThrows(InvalidKeyException.class, () -> new SessionBuilder(alice.store, bob.address).process(bad));
    assertFalse(alice.store.containsSession(bob.address));
  }

  @Test
  void process_signatureOverUnprefixedKey_throwsInvalidKey() {
    PreKeyBundle good = bob.bundle();
    byte[] wrongSignature = Curve25519.sign(
        bob.store.identityKeyPair().privateKey(), good.signedPreKeyPublic());
    PreKeyBundle bad = new PreKeyBundle(good.registrationId(), good.deviceId(), good.preKeyId(),
        good.preKeyPublic(), good.signedPreKeyId(), good.signedPreKeyPublic(), wrongSignature,
        good.identityKey());

    assertThrows(InvalidKeyException.class, () -> new SessionBuilder(alice.store, bob.address).process(bad));
  }

  @Test
  void decryptMessage_manySkippedAcrossChains_keepsTotalSkippedKeysBounded() throws Exception {
    establish();
    for (int round = 0; round < 3; round++) {
      CiphertextMessage last = null;
      for (int i = 0; i < 1500; i++) {
        last = alice.send(bob, "skip");
      }
      bob.receive(alice, last);
      alice.receive(bob, bob.send(alice, "turn"));
    }
    SessionState state = bob.store.loadSession(alice.address).currentState();
    SessionState copy = state.copy();
    int total = copy.toStructure().getReceivingChainsList().stream()
        .mapToInt(c -> c.getSkippedKeysCount()).sum();
    assertTrue(total <= SessionState.MAX_SKIPPED_KEYS, "skipped keys " + total);
  }

  private static void assertArrayEquals(String expected, byte[] actual) {
    assertEquals(expected, new String(actual, java.nio.charset.StandardCharsets.UTF_8));
  }

  private static boolean causeChainMentions(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(text)) {
        return true;
      }
    }
    return false;
  }

  private void establish() throws Exception {
    alice.startSessionWith(bob);
    assertEquals("hello", bob.receive(alice, alice.send(bob, "hello")));
    assertEquals("welcome", alice.receive(bob, bob.send(alice, "welcome")));
  }
}
