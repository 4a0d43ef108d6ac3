package io.wafleet.client.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sender keys (docs/protocol.md §10.4): distribution, encrypt and decrypt in and out of order,
 * Baileys' iteration gaps, and every bad input as a typed error that leaves the record usable.
 */
class GroupCipherTest {

  private final SecureRandom random = new SecureRandom();
  private final SenderKeyRecord aliceOwn = new SenderKeyRecord();
  private final SenderKeyRecord bobsCopyOfAlice = new SenderKeyRecord();

  GroupCipherTest() throws Exception {
    byte[] skdm = GroupCipher.distributionMessage(aliceOwn, random).serialize();
    GroupCipher.process(bobsCopyOfAlice, SenderKeyDistributionMessage.parse(skdm));
  }

  @Test
  void distributionMessage_roundTrips_andIsStableUntilUsed() throws Exception {
    SenderKeyDistributionMessage first = GroupCipher.distributionMessage(aliceOwn, random);
    SenderKeyDistributionMessage again = SenderKeyDistributionMessage.parse(first.serialize());
    assertEquals(first.keyId(), again.keyId());
    assertEquals(0, again.iteration());
    assertArrayEquals(first.chainKey(), again.chainKey());
    assertArrayEquals(first.signingKey(), again.signingKey());
    assertEquals(0x33, first.serialize()[0]);
    assertEquals(first.keyId(), GroupCipher.distributionMessage(aliceOwn, random).keyId(),
        "the key is created once");
  }

  @Test
  void messages_decryptInAndOutOfOrder_eachOnce() throws Exception {
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.add(GroupCipher.encrypt(aliceOwn, bytes("m" + i)));
    }
    assertEquals(1, SenderKeyMessage.parse(sent.get(1)).iteration());
    assertEquals("m2", text(GroupCipher.decrypt(bobsCopyOfAlice, sent.get(2))));
    assertEquals("m0", text(GroupCipher.decrypt(bobsCopyOfAlice, sent.get(0))));
    assertEquals("m3", text(GroupCipher.decrypt(bobsCopyOfAlice, sent.get(3))));
    assertEquals("m1", text(GroupCipher.decrypt(bobsCopyOfAlice, sent.get(1))));
    assertThrows(DuplicateMessageException.class,
        () -> GroupCipher.decrypt(bobsCopyOfAlice, sent.get(1)));
    assertThrows(DuplicateMessageException.class,
        () -> GroupCipher.decrypt(bobsCopyOfAlice, sent.get(3)));
  }

  @Test
  void aSenderThatSkipsIterations_likeBaileys_isRead() throws Exception {
    byte[] first = GroupCipher.encrypt(aliceOwn, bytes("zero"));
    GroupCipher.encrypt(aliceOwn, bytes("never delivered"));
    byte[] third = GroupCipher.encrypt(aliceOwn, bytes("two"));
    assertEquals("zero", text(GroupCipher.decrypt(bobsCopyOfAlice, first)));
    assertEquals("two", text(GroupCipher.decrypt(bobsCopyOfAlice, third)));
  }

  @Test
  void wireFormats_areWhatsApps() throws Exception {
    byte[] skmsg = GroupCipher.encrypt(aliceOwn, bytes("on the wire"));
    assertEquals(0x33, skmsg[0]);
    io.wafleet.client.proto.WaSignalProtos.SenderKeyMessage body =
        io.wafleet.client.proto.WaSignalProtos.SenderKeyMessage.parseFrom(
            java.util.Arrays.copyOfRange(skmsg, 1, skmsg.length - 64));
    SenderKeyDistributionMessage skdm = GroupCipher.distributionMessage(aliceOwn, random);
    assertEquals(skdm.keyId(), body.getId());
    assertEquals(1, skdm.iteration(), "the chain moved on by the one message");
    assertEquals(0, body.getIteration());
    assertEquals(16, body.getCiphertext().size(), "one AES-CBC block");
    io.wafleet.client.proto.WaSignalProtos.SenderKeyDistributionMessage dist =
        io.wafleet.client.proto.WaSignalProtos.SenderKeyDistributionMessage.parseFrom(
            java.util.Arrays.copyOfRange(skdm.serialize(), 1, skdm.serialize().length));
    assertEquals(33, dist.getSigningKey().size());
    assertEquals(5, dist.getSigningKey().byteAt(0));
    assertEquals(32, dist.getChainKey().size());
  }

  @Test
  void tamperedCiphertext_failsTheSignature_beforeDecrypting() throws Exception {
    byte[] good = GroupCipher.encrypt(aliceOwn, bytes("tamper me"));
    byte[] bad = good.clone();
    bad[bad.length - 64 - 1] ^= 1;
    InvalidMessageException e = assertThrows(InvalidMessageException.class,
        () -> GroupCipher.decrypt(bobsCopyOfAlice, bad));
    assertEquals("bad sender key signature", e.getMessage());
    assertEquals("tamper me", text(GroupCipher.decrypt(bobsCopyOfAlice, good)));
  }

  @Test
  void badInput_typedErrors_recordStaysUsable() throws Exception {
    byte[] good = GroupCipher.encrypt(aliceOwn, bytes("good"));
    byte[] badSignature = good.clone();
    badSignature[badSignature.length - 1] ^= 1;
    assertThrows(InvalidMessageException.class,
        () -> GroupCipher.decrypt(bobsCopyOfAlice, badSignature));
    byte[] badVersion = good.clone();
    badVersion[0] = 0x22;
    assertThrows(InvalidMessageException.class,
        () -> GroupCipher.decrypt(bobsCopyOfAlice, badVersion));
    assertThrows(InvalidMessageException.class,
        () -> GroupCipher.decrypt(bobsCopyOfAlice, new byte[] {0x33, 1, 2}));
    assertThrows(InvalidMessageException.class,
        () -> GroupCipher.decrypt(bobsCopyOfAlice, null));
    byte[] garbage = new byte[100];
    java.util.Arrays.fill(garbage, (byte) 0xff);
    garbage[0] = 0x33;
    assertThrows(InvalidMessageException.class, () -> GroupCipher.decrypt(bobsCopyOfAlice, garbage));
    assertThrows(NoSessionException.class,
        () -> GroupCipher.decrypt(new SenderKeyRecord(), good), "no distribution message yet");
    assertEquals("good", text(GroupCipher.decrypt(bobsCopyOfAlice, good)),
        "the failures changed nothing");
  }

  @Test
  void tooFarAhead_refused_thenTheNextMessageStillDecrypts() throws Exception {
    byte[] far = null;
    for (int i = 0; i <= GroupCipher.MAX_FUTURE + 1; i++) {
      far = GroupCipher.encrypt(aliceOwn, bytes("n" + i));
    }
    byte[] last = far;
    assertThrows(InvalidMessageException.class, () -> GroupCipher.decrypt(bobsCopyOfAlice, last));
    SenderKeyRecord fresh = new SenderKeyRecord();
    GroupCipher.process(fresh, GroupCipher.distributionMessage(aliceOwn, random));
    assertEquals("after", text(GroupCipher.decrypt(fresh, GroupCipher.encrypt(aliceOwn,
        bytes("after")))), "a new distribution message at the current iteration works");
  }

  @Test
  void encrypt_withoutOwnKey_isNoSession() {
    assertThrows(NoSessionException.class,
        () -> GroupCipher.encrypt(new SenderKeyRecord(), bytes("x")));
    assertThrows(NoSessionException.class,
        () -> GroupCipher.encrypt(bobsCopyOfAlice, bytes("x")), "a received key cannot send");
  }

  @Test
  void distributionMessage_badInput_isInvalidMessage() {
    assertThrows(InvalidMessageException.class, () -> SenderKeyDistributionMessage.parse(null));
    assertThrows(InvalidMessageException.class,
        () -> SenderKeyDistributionMessage.parse(new byte[] {0x33}));
    assertThrows(InvalidMessageException.class,
        () -> SenderKeyDistributionMessage.parse(new byte[] {0x33, (byte) 0xff, 0x01}));
    assertThrows(InvalidMessageException.class,
        () -> SenderKeyDistributionMessage.parse(new byte[] {0x33, 0x08, 0x01, 0x10, 0x00}),
        "no chain key, no signing key");
  }

  @Test
  void record_keepsAtMostFiveStates_byKeyId() throws Exception {
    SenderKeyRecord theirs = new SenderKeyRecord();
    List<SenderKeyRecord> senders = new ArrayList<>();
    for (int i = 0; i < SenderKeyRecord.MAX_STATES + 1; i++) {
      SenderKeyRecord own = new SenderKeyRecord();
      GroupCipher.process(theirs, GroupCipher.distributionMessage(own, random));
      senders.add(own);
    }
    assertEquals(SenderKeyRecord.MAX_STATES, theirs.size());
    byte[] fromOldest = GroupCipher.encrypt(senders.get(0), bytes("old"));
    assertThrows(NoSessionException.class, () -> GroupCipher.decrypt(theirs, fromOldest));
    byte[] fromNewest = GroupCipher.encrypt(senders.get(SenderKeyRecord.MAX_STATES), bytes("new"));
    assertEquals("new", text(GroupCipher.decrypt(theirs, fromNewest)));
  }

  @Test
  void records_surviveStorage_midChain_withSkippedKeys() throws Exception {
    byte[] m0 = GroupCipher.encrypt(aliceOwn, bytes("m0"));
    byte[] m1 = GroupCipher.encrypt(aliceOwn, bytes("m1"));
    byte[] m2 = GroupCipher.encrypt(aliceOwn, bytes("m2"));
    assertEquals("m2", text(GroupCipher.decrypt(bobsCopyOfAlice, m2)));
    SenderKeyRecord bobRestored = SenderKeyRecord.parse(bobsCopyOfAlice.serialize());
    SenderKeyRecord aliceRestored = SenderKeyRecord.parse(aliceOwn.serialize());
    assertEquals("m0", text(GroupCipher.decrypt(bobRestored, m0)), "a kept skipped key");
    assertEquals("m1", text(GroupCipher.decrypt(bobRestored, m1)));
    assertEquals("m3", text(GroupCipher.decrypt(bobRestored,
        GroupCipher.encrypt(aliceRestored, bytes("m3")))), "the sender continues its chain");
    assertThrows(InvalidMessageException.class, () -> SenderKeyRecord.parse(new byte[] {1, 2, 3}));
    assertThrows(InvalidMessageException.class,
        () -> SenderKeyRecord.parse(new byte[] {0x08, 0x07}), "unknown version");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
