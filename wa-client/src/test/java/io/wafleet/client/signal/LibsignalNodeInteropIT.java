package io.wafleet.client.signal;

import static io.wafleet.client.signal.NodeInteropPeer.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java against a live libsignal-node 6.0.0 process (what Baileys uses): Java's {@code 0x33}
 * pkmsg/msg must be accepted by libsignal-node, and its answers by Java, in both session
 * directions. Needs Node.js 20+ and npm; fails, never skips, without them.
 */
class LibsignalNodeInteropIT {

  private static NodeInteropPeer node;
  private static SignalAddress nodeAddress;

  @BeforeAll
  static void startNode() throws Exception {
    node = NodeInteropPeer.start();
    Map<String, Object> hello = node.ok("op", "hasPreKey", "id", 1);
    assertFalse((Boolean) hello.get("present"));
    nodeAddress = new SignalAddress("15559990000", 0);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void javaInitiates_libsignalNodeAcceptsPkmsgAndMsgAndRepliesDecrypt() throws Exception {
    Party java = new Party("15550001111", 1, 1111);
    Map<String, Object> bundle = node.ok("op", "bundle");
    new SessionBuilder(java.store, nodeAddress).process(toBundle(bundle));
    SessionCipher cipher = new SessionCipher(java.store, nodeAddress);

    for (String text : List.of("first pkmsg from Java", "second pkmsg")) {
      CiphertextMessage pkmsg = cipher.encrypt(text.getBytes(StandardCharsets.UTF_8));
      assertEquals("pkmsg", pkmsg.type().wireType());
      assertEquals(0x33, pkmsg.serialized()[0] & 0xFF);
      assertEquals(text, nodeDecrypts(java, pkmsg));
    }
    int preKeyId = ((Number) bundle.get("preKeyId")).intValue();
    assertFalse((Boolean) node.ok("op", "hasPreKey", "id", preKeyId).get("present"),
        "libsignal-node must consume the one-time pre-key Java's pkmsg named");

    assertEquals("node reply", javaDecrypts(cipher, nodeEncrypts(java, "node reply"), "msg"));
    CiphertextMessage msg = cipher.encrypt("now a msg".getBytes(StandardCharsets.UTF_8));
    assertEquals("msg", msg.type().wireType());
    assertEquals(0x33, msg.serialized()[0] & 0xFF);
    assertEquals("now a msg", nodeDecrypts(java, msg));

    converse(java, cipher, new Random(5));
  }

  @Test
  void nodeInitiates_javaAcceptsPkmsgAndLibsignalNodeAcceptsReplies() throws Exception {
    Party java = new Party("15550002222", 3, 2222);
    PreKeyBundle ours = java.bundle();
    node.ok("op", "processBundle", "peer", java.address.toString(),
        "registrationId", ours.registrationId(),
        "identityKey", Hex.encode(Curve25519.withTypePrefix(ours.identityKey())),
        "signedPreKeyId", ours.signedPreKeyId(),
        "signedPreKey", Hex.encode(Curve25519.withTypePrefix(ours.signedPreKeyPublic())),
        "signature", Hex.encode(ours.signedPreKeySignature()),
        "preKeyId", ours.preKeyId(),
        "preKey", Hex.encode(Curve25519.withTypePrefix(ours.preKeyPublic())));
    SessionCipher cipher = new SessionCipher(java.store, nodeAddress);

    Map<String, Object> pkmsg = nodeEncrypts(java, "hello from libsignal-node");
    assertEquals("pkmsg", pkmsg.get("type"));
    assertEquals("hello from libsignal-node", javaDecrypts(cipher, pkmsg, "pkmsg"));
    assertFalse(java.store.containsPreKey(ours.preKeyId()));

    CiphertextMessage reply = cipher.encrypt("java answers".getBytes(StandardCharsets.UTF_8));
    assertEquals("msg", reply.type().wireType());
    assertEquals("java answers", nodeDecrypts(java, reply));
    assertEquals("msg", nodeEncrypts(java, "after the answer").get("type"));

    converse(java, cipher, new Random(6));
  }

  @Test
  void tamperedJavaMessages_libsignalNodeRejectsThem() throws Exception {
    Party java = new Party("15550003333", 2, 3333);
    new SessionBuilder(java.store, nodeAddress).process(toBundle(node.ok("op", "bundle")));
    SessionCipher cipher = new SessionCipher(java.store, nodeAddress);
    assertEquals("setup", nodeDecrypts(java, cipher.encrypt(utf8("setup"))));
    javaDecrypts(cipher, nodeEncrypts(java, "ack"), "msg");

    byte[] badMac = cipher.encrypt(utf8("bad mac")).serialized();
    badMac[badMac.length - 1] ^= 0x01;
    assertRefused(java, badMac, "Bad MAC");

    byte[] version34 = cipher.encrypt(utf8("v4")).serialized();
    version34[0] = 0x34;
    assertRefused(java, version34, "Incompatible version number on WhisperMessage");

    assertEquals("good again", nodeDecrypts(java, cipher.encrypt(utf8("good again"))));
  }

  /** Random bursts both ways, Java's bursts delivered to libsignal-node out of order. */
  private static void converse(Party java, SessionCipher cipher, Random random) throws Exception {
    for (int round = 0; round < 12; round++) {
      int burst = 1 + random.nextInt(4);
      if (random.nextBoolean()) {
        List<CiphertextMessage> sent = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
          byte[] padded = Padding.pad(utf8("java " + round + "." + i), random);
          sent.add(cipher.encrypt(padded));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
          order.add(i);
        }
        Collections.shuffle(order, random);
        for (int i : order) {
          byte[] padded = Hex.decode(nodeDecryptHex(java, sent.get(i)));
          assertEquals("java " + round + "." + i, new String(Padding.unpad(padded), StandardCharsets.UTF_8));
        }
      } else {
        for (int i = 0; i < burst; i++) {
          String text = "node " + round + "." + i;
          assertEquals(text, javaDecrypts(cipher, nodeEncrypts(java, text), "msg"));
        }
      }
    }
  }

  /** {@code reason} is libsignal-node's own per-session error, which interop.mjs passes on. */
  private static void assertRefused(Party java, byte[] body, String reason) throws Exception {
    Map<String, Object> answer = node.call("op", "decrypt", "peer", java.address.toString(),
        "type", "msg", "body", Hex.encode(body));
    assertFalse((Boolean) answer.get("ok"), "libsignal-node accepted a tampered message");
    assertTrue(String.valueOf(answer.get("error")).contains(reason),
        String.valueOf(answer.get("error")));
  }

  private static String nodeDecrypts(Party java, CiphertextMessage message) throws Exception {
    return new String(Hex.decode(nodeDecryptHex(java, message)), StandardCharsets.UTF_8);
  }

  private static String nodeDecryptHex(Party java, CiphertextMessage message) throws Exception {
    return (String) node.ok("op", "decrypt", "peer", java.address.toString(),
        "type", message.type().wireType(), "body", Hex.encode(message.serialized())).get("plaintext");
  }

  private static Map<String, Object> nodeEncrypts(Party java, String text) throws Exception {
    return node.ok("op", "encrypt", "peer", java.address.toString(), "plaintext", Hex.encode(utf8(text)));
  }

  private static String javaDecrypts(SessionCipher cipher, Map<String, Object> answer, String type)
      throws Exception {
    assertEquals(type, answer.get("type"));
    byte[] body = bytes(answer, "body");
    assertEquals(0x33, body[0] & 0xFF);
    byte[] plaintext = type.equals("pkmsg") ? cipher.decryptPreKeyMessage(body) : cipher.decryptMessage(body);
    return new String(plaintext, StandardCharsets.UTF_8);
  }

  private static PreKeyBundle toBundle(Map<String, Object> b) {
    return new PreKeyBundle(((Number) b.get("registrationId")).intValue(), ((Number) b.get("deviceId")).intValue(),
        ((Number) b.get("preKeyId")).intValue(), bytes(b, "preKey"),
        ((Number) b.get("signedPreKeyId")).intValue(), bytes(b, "signedPreKey"), bytes(b, "signature"),
        bytes(b, "identityKey"));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
