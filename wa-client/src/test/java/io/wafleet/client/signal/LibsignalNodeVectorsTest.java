package io.wafleet.client.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hex;
import io.wafleet.client.crypto.KeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays a libsignal-node 6.0.0 conversation (libsignal-node-vectors.json, made by
 * src/test/node/signal-vectors/generate.mjs). Java plays one side with that side's recorded
 * private keys, including the base and ratchet keys libsignal-node drew, so it must accept every
 * message of the other side and produce byte for byte the messages of its own side.
 */
class LibsignalNodeVectorsTest {

  private static Map<String, Object> vectors;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = LibsignalNodeVectorsTest.class.getResourceAsStream("libsignal-node-vectors.json")) {
      assertNotNull(in, "libsignal-node-vectors.json missing from test resources");
      vectors = map(new ObjectMapper().readValue(in, Object.class));
    }
    assertEquals("6.0.0", vectors.get("libsignalVersion"));
  }

  @Test
  void vectors_javaAsBob_decryptsAliceAndReproducesBobsBytes() throws Exception {
    Map<String, Object> bob = map(vectors.get("bob"));
    InMemorySignalProtocolStore store = store(bob);
    Map<String, Object> signed = map(bob.get("signedPreKey"));
    store.storeSignedPreKey(new SignedPreKeyRecord(intOf(signed.get("id")),
        keyPair(signed.get("keyPair")), hex(signed.get("signature")), 0L));
    for (Object preKey : list(bob.get("preKeys"))) {
      store.storePreKey(new PreKeyRecord(intOf(map(preKey).get("id")), keyPair(map(preKey).get("keyPair"))));
    }
    Deque<KeyPair> keys = generatedKeys(bob);
    SessionCipher cipher = new SessionCipher(store, address(map(vectors.get("alice"))), supplier(keys));

    replay(cipher, "bob");

    assertTrue(keys.isEmpty(), "Java drew fewer ratchet keys than libsignal-node: " + keys.size());
    int usedPreKey = intOf(map(vectors.get("bundleUsedByAlice")).get("preKeyId"));
    assertTrue(!store.containsPreKey(usedPreKey), "used one-time pre-key must be deleted");
  }

  @Test
  void vectors_javaAsAlice_reproducesAlicesBytesAndDecryptsBob() throws Exception {
    Map<String, Object> alice = map(vectors.get("alice"));
    Map<String, Object> bob = map(vectors.get("bob"));
    InMemorySignalProtocolStore store = store(alice);
    SignalAddress bobAddress = address(bob);
    Deque<KeyPair> keys = generatedKeys(alice);

    new SessionBuilder(store, bobAddress, supplier(keys)).process(bundle(bob));
    replay(new SessionCipher(store, bobAddress, supplier(keys)), "alice");

    assertTrue(keys.isEmpty(), "Java drew fewer keys than libsignal-node: " + keys.size());
  }

  @Test
  void vectors_recordedKeyPairs_derivePublicKeysLikeLibsignalNode() {
    for (String party : List.of("alice", "bob")) {
      Map<String, Object> keys = map(map(map(vectors.get(party)).get("identity")));
      byte[] derived = Curve25519.keyPairFromPrivate(hex(keys.get("private"))).publicKey();
      assertArrayEquals(Curve25519.withoutTypePrefix(hex(keys.get("public"))), derived);
    }
  }

  /** Java encrypts the messages of {@code us} (asserting the exact bytes) and decrypts the rest. */
  private static void replay(SessionCipher cipher, String us) throws Exception {
    int index = 0;
    for (Object item : list(vectors.get("messages"))) {
      Map<String, Object> message = map(item);
      byte[] plaintext = hex(message.get("plaintext"));
      byte[] ciphertext = hex(message.get("ciphertext"));
      String type = (String) message.get("type");
      String where = "message " + index++ + " from " + message.get("from");
      if (us.equals(message.get("from"))) {
        CiphertextMessage produced = cipher.encrypt(plaintext);
        assertEquals(type, produced.type().wireType(), where);
        assertEquals(Hex.encode(ciphertext), Hex.encode(produced.serialized()), where);
      } else {
        byte[] decrypted = type.equals("pkmsg")
            ? cipher.decryptPreKeyMessage(ciphertext)
            : cipher.decryptMessage(ciphertext);
        assertEquals(Hex.encode(plaintext), Hex.encode(decrypted), where);
      }
    }
  }

  private static PreKeyBundle bundle(Map<String, Object> bob) {
    int preKeyId = intOf(map(vectors.get("bundleUsedByAlice")).get("preKeyId"));
    Map<String, Object> preKey = list(bob.get("preKeys")).stream().map(LibsignalNodeVectorsTest::map)
        .filter(p -> intOf(p.get("id")) == preKeyId).findFirst().orElseThrow();
    Map<String, Object> signed = map(bob.get("signedPreKey"));
    return new PreKeyBundle(intOf(bob.get("registrationId")), intOf(bob.get("deviceId")), preKeyId,
        hex(map(preKey.get("keyPair")).get("public")), intOf(signed.get("id")),
        hex(map(signed.get("keyPair")).get("public")), hex(signed.get("signature")),
        hex(map(bob.get("identity")).get("public")));
  }

  private static InMemorySignalProtocolStore store(Map<String, Object> party) {
    return new InMemorySignalProtocolStore(keyPair(party.get("identity")), intOf(party.get("registrationId")));
  }

  private static SignalAddress address(Map<String, Object> party) {
    return new SignalAddress((String) party.get("name"), intOf(party.get("deviceId")));
  }

  private static Deque<KeyPair> generatedKeys(Map<String, Object> party) {
    Deque<KeyPair> keys = new ArrayDeque<>();
    list(party.get("generatedKeyPairs")).forEach(pair -> keys.add(keyPair(pair)));
    return keys;
  }

  private static Supplier<KeyPair> supplier(Deque<KeyPair> keys) {
    return () -> {
      KeyPair next = keys.poll();
      if (next == null) {
        throw new AssertionError("Java drew more key pairs than libsignal-node did");
      }
      return next;
    };
  }

  private static KeyPair keyPair(Object json) {
    Map<String, Object> pair = map(json);
    return new KeyPair(hex(pair.get("private")), Curve25519.withoutTypePrefix(hex(pair.get("public"))));
  }

  private static byte[] hex(Object value) {
    return Hex.decode((String) value);
  }

  private static int intOf(Object value) {
    return ((Number) value).intValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
