package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentSnapshot;
import io.wafleet.common.crypto.BlobCipher;
import io.wafleet.common.crypto.BlobDecryptionException;
import io.wafleet.common.crypto.KeyRing;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.Owner;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SessionStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Owner OWNER = new Owner("inst-a", 3);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
  private SessionStore sessions;

  @BeforeEach
  void setUp() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 9);
    sessions = new SessionStore(FIRESTORE.firestore(), new BlobCipher(new KeyRing(Map.of("k1", key), "k1")), clock);
    new AccountStore(FIRESTORE.firestore(), clock).create(
        Account.newAccount("acc-1", "a", "+40700000001", clock.instant()).toBuilder().owner(OWNER).build());
  }

  @Test
  void creds_roundTrip_isEncryptedAtRest() throws Exception {
    byte[] creds = "{\"noiseKey\":\"secret-material\"}".getBytes(StandardCharsets.UTF_8);
    assertTrue(sessions.loadCreds("acc-1").isEmpty());
    sessions.storeCreds("acc-1", OWNER, creds);
    assertArrayEquals(creds, sessions.loadCreds("acc-1").orElseThrow());
    DocumentSnapshot raw = FIRESTORE.firestore().collection("wa_sessions").document("acc-1").get().get();
    assertEquals("k1", raw.getString("keyId"));
    String stored = new String(raw.getBlob("creds").toBytes(), StandardCharsets.ISO_8859_1);
    assertFalse(stored.contains("secret-material"));
  }

  @Test
  void storeCreds_staleOwner_isFencedAndWritesNothing() {
    FencingException e = assertThrows(FencingException.class,
        () -> sessions.storeCreds("acc-1", new Owner("inst-a", 2), new byte[] {1}));
    assertEquals(OWNER, e.actual());
    assertTrue(sessions.loadCreds("acc-1").isEmpty());
  }

  @Test
  void keys_storeLoadDelete_roundTrip() {
    Map<String, byte[]> values = new LinkedHashMap<>();
    values.put("1", new byte[] {1, 1});
    values.put("2", new byte[] {2, 2});
    sessions.storeKeys("acc-1", OWNER, "pre-key", values);
    Map<String, byte[]> loaded = sessions.loadKeys("acc-1", "pre-key", List.of("1", "2", "3"));
    assertEquals(2, loaded.size());
    assertArrayEquals(new byte[] {2, 2}, loaded.get("2"));
    Map<String, byte[]> delete = new HashMap<>();
    delete.put("1", null);
    sessions.storeKeys("acc-1", OWNER, "pre-key", delete);
    assertEquals(List.of("2"), List.copyOf(sessions.loadKeys("acc-1", "pre-key", List.of("1", "2")).keySet()));
    assertThrows(InvalidFieldException.class, () -> sessions.storeKeys("acc-1", OWNER, "Bad Type", values));
  }

  @Test
  void loadCreds_tamperedBlob_failsClearly() throws Exception {
    sessions.storeCreds("acc-1", OWNER, new byte[] {1, 2, 3});
    var ref = FIRESTORE.firestore().collection("wa_sessions").document("acc-1");
    byte[] data = ref.get().get().getBlob("creds").toBytes();
    data[data.length - 1] ^= 1;
    ref.update("creds", Blob.fromBytes(data)).get();
    assertThrows(BlobDecryptionException.class, () -> sessions.loadCreds("acc-1"));
  }

  @Test
  void loadCreds_blobCopiedFromAnotherAccount_doesNotDecrypt() throws Exception {
    sessions.storeCreds("acc-1", OWNER, new byte[] {1, 2, 3});
    var db = FIRESTORE.firestore();
    Map<String, Object> copy = db.collection("wa_sessions").document("acc-1").get().get().getData();
    db.collection("wa_sessions").document("acc-2").set(copy).get();
    assertThrows(BlobDecryptionException.class, () -> sessions.loadCreds("acc-2"));
  }

  @Test
  void deleteAll_removesCredsAndKeys() {
    sessions.storeCreds("acc-1", OWNER, new byte[] {1});
    sessions.storeKeys("acc-1", OWNER, "session", Map.of("a.1", new byte[] {1}));
    sessions.deleteAll("acc-1");
    assertFalse(sessions.containsCreds("acc-1"));
    assertTrue(sessions.loadKeys("acc-1", "session", List.of("a.1")).isEmpty());
  }

  @Test
  void countKeys_afterStoreAndDelete_countsEveryKeyOfEveryType() {
    assertEquals(0, sessions.countKeys("acc-1"));
    sessions.storeKeys("acc-1", OWNER, "pre-key", Map.of("1", new byte[] {1}, "2", new byte[] {2}));
    sessions.storeKeys("acc-1", OWNER, "session", Map.of("a.1", new byte[] {1}));
    assertEquals(3, sessions.countKeys("acc-1"));
    sessions.deleteAll("acc-1");
    assertEquals(0, sessions.countKeys("acc-1"));
  }
}
