package io.wafleet.connector.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.FencingException;
import io.wafleet.common.store.SessionStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.connector.testing.Sessions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class FirestoreAuthStateIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String ACCOUNT = "acc-1";
  private static final Owner OWNER = new Owner("inst-a", 2);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final List<FencingException> fenced = new CopyOnWriteArrayList<>();
  private SessionStore sessions;

  @BeforeEach
  void setUp() {
    sessions = new SessionStore(FIRESTORE.firestore(), Sessions.cipher("k1", 7), clock);
    new AccountStore(FIRESTORE.firestore(), clock).create(
        Account.newAccount(ACCOUNT, "a", "+40700000001", clock.instant()).toBuilder().owner(OWNER).build());
  }

  @Test
  void restore_noSessionStored_isEmpty() {
    assertTrue(FirestoreAuthState.restore(sessions, ACCOUNT, OWNER, fenced::add).isEmpty());
  }

  @Test
  void storeCredentials_thenRestore_returnsTheSameCredentials() {
    FirestoreAuthState fresh = fresh();
    Credentials updated = fresh.credentials().toBuilder().pushName("Shop").nextPreKeyId(31).build();
    fresh.storeCredentials(updated);
    assertEquals(updated, fresh.credentials());
    FirestoreAuthState restored = FirestoreAuthState.restore(sessions, ACCOUNT, OWNER, fenced::add).orElseThrow();
    assertEquals(updated, restored.credentials());
  }

  @Test
  void restoredCredentials_areServedFromMemory_afterTheOneRead() throws Exception {
    fresh().storeCredentials(fresh().credentials());
    FirestoreAuthState restored = FirestoreAuthState.restore(sessions, ACCOUNT, OWNER, fenced::add).orElseThrow();
    FIRESTORE.firestore().collection("wa_sessions").document(ACCOUNT).delete().get();
    assertTrue(restored.credentials().registrationId() >= 0, "credentials still answer without Firestore");
    assertSame(restored.credentials(), restored.credentials());
  }

  @Test
  void sessionKeys_afterFirstRead_costNoFirestoreRead() throws Exception {
    FirestoreAuthState state = fresh();
    state.keys().store(SignalKeyStore.SESSION, Map.of("peer.0", new byte[] {1, 2}));
    FirestoreAuthState restored = FirestoreAuthState.restore(sessionsWithCreds(state), ACCOUNT, OWNER, fenced::add)
        .orElseThrow();
    assertArrayEquals(new byte[] {1, 2}, restored.keys().load(SignalKeyStore.SESSION, List.of("peer.0")).get("peer.0"));
    assertTrue(restored.keys().load(SignalKeyStore.SESSION, List.of("stranger.0")).isEmpty());
    // Remove the documents behind the state's back: later loads must come from memory.
    deleteKey("session_peer.0");
    assertArrayEquals(new byte[] {1, 2}, restored.keys().load(SignalKeyStore.SESSION, List.of("peer.0")).get("peer.0"));
    assertEquals(2, restored.cachedKeyCount(SignalKeyStore.SESSION), "a known absence is cached too");
  }

  @Test
  void preKeys_areNeverHeldInMemory_andReadFromFirestoreEachTime() throws Exception {
    FirestoreAuthState state = fresh();
    Map<String, byte[]> preKeys = new HashMap<>();
    for (int id = 1; id <= SessionStore.MAX_KEYS_PER_WRITE + 50; id++) {
      preKeys.put(Integer.toString(id), new byte[] {(byte) id, 1});
    }
    state.keys().store(SignalKeyStore.PRE_KEY, preKeys);
    assertEquals(0, state.cachedKeyCount(SignalKeyStore.PRE_KEY));
    List<String> ids = new ArrayList<>(preKeys.keySet());
    assertEquals(preKeys.size(), state.keys().load(SignalKeyStore.PRE_KEY, ids).size(), "the keys span two fenced writes");
    deleteKey("pre-key_5");
    assertFalse(state.keys().load(SignalKeyStore.PRE_KEY, List.of("5")).containsKey("5"));
    assertEquals(0, state.cachedKeyCount(SignalKeyStore.PRE_KEY));
  }

  @Test
  void keyDelete_isWrittenThroughToFirestoreAndCache() {
    FirestoreAuthState state = fresh();
    state.keys().store(SignalKeyStore.IDENTITY, Map.of("peer.0", new byte[] {5}));
    Map<String, byte[]> delete = new HashMap<>();
    delete.put("peer.0", null);
    state.keys().store(SignalKeyStore.IDENTITY, delete);
    assertTrue(state.keys().load(SignalKeyStore.IDENTITY, List.of("peer.0")).isEmpty());
    assertTrue(sessions.loadKeys(ACCOUNT, SignalKeyStore.IDENTITY, List.of("peer.0")).isEmpty());
  }

  @Test
  void write_afterAnotherInstanceClaimed_isFencedAndTellsTheListener() throws Exception {
    FirestoreAuthState state = fresh();
    FIRESTORE.firestore().collection("accounts").document(ACCOUNT)
        .update("owner", Map.of("instanceId", "inst-b", "generation", 3L)).get();
    Credentials before = state.credentials();
    SessionFencedException e = assertThrows(SessionFencedException.class,
        () -> state.storeCredentials(before.toBuilder().pushName("x").build()));
    assertEquals(new Owner("inst-b", 3), e.fencing().actual());
    assertSame(before, state.credentials(), "a refused write changes nothing");
    assertThrows(SessionFencedException.class,
        () -> state.keys().store(SignalKeyStore.SESSION, Map.of("peer.0", new byte[] {1})));
    assertEquals(2, fenced.size());
    assertTrue(state.keys().load(SignalKeyStore.SESSION, List.of("peer.0")).isEmpty(), "nothing cached");
    assertFalse(sessions.containsCreds(ACCOUNT));
  }

  @Test
  void restore_blobUnderUnknownKey_isUnavailableNeverEmpty() {
    fresh().storeCredentials(fresh().credentials());
    SessionStore otherRing = new SessionStore(FIRESTORE.firestore(), Sessions.cipher("k2", 8), clock);
    SessionUnavailableException e = assertThrows(SessionUnavailableException.class,
        () -> FirestoreAuthState.restore(otherRing, ACCOUNT, OWNER, fenced::add));
    assertEquals(SessionUnavailableException.Kind.UNDECRYPTABLE, e.kind());
  }

  @Test
  void restore_credsThatDoNotParse_isUnavailableNeverEmpty() {
    sessions.storeCreds(ACCOUNT, OWNER, new byte[] {1, 2, 3, 4});
    SessionUnavailableException e = assertThrows(SessionUnavailableException.class,
        () -> FirestoreAuthState.restore(sessions, ACCOUNT, OWNER, fenced::add));
    assertEquals(SessionUnavailableException.Kind.UNPARSEABLE, e.kind());
  }

  @Test
  void restore_tamperedBlob_isUnavailable() throws Exception {
    fresh().storeCredentials(fresh().credentials());
    DocumentReference ref = FIRESTORE.firestore().collection("wa_sessions").document(ACCOUNT);
    byte[] data = ref.get().get().getBlob("creds").toBytes();
    data[data.length - 1] ^= 1;
    ref.update("creds", Blob.fromBytes(data)).get();
    assertEquals(SessionUnavailableException.Kind.UNDECRYPTABLE, assertThrows(SessionUnavailableException.class,
        () -> FirestoreAuthState.restore(sessions, ACCOUNT, OWNER, fenced::add)).kind());
  }

  @Test
  void restore_storeUnreachable_isUnavailableNeverEmpty() throws Exception {
    try (Firestore dead = unreachableFirestore()) {
      SessionStore unreachable = new SessionStore(dead, Sessions.cipher("k1", 7), clock);
      SessionUnavailableException e = assertThrows(SessionUnavailableException.class,
          () -> FirestoreAuthState.restore(unreachable, ACCOUNT, OWNER, fenced::add));
      assertEquals(SessionUnavailableException.Kind.STORE_UNREACHABLE, e.kind());
    }
  }

  private FirestoreAuthState fresh() {
    return FirestoreAuthState.fresh(sessions, ACCOUNT, OWNER, fenced::add, new SecureRandom());
  }

  private SessionStore sessionsWithCreds(FirestoreAuthState state) {
    state.storeCredentials(state.credentials());
    return sessions;
  }

  private void deleteKey(String docId) throws Exception {
    FIRESTORE.firestore().collection("wa_sessions").document(ACCOUNT).collection("keys").document(docId).delete().get();
  }

  /** A real Firestore client aimed at a loopback port nobody listens on, giving up after 2 s. */
  private static Firestore unreachableFirestore() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RetrySettings quick = RetrySettings.newBuilder().setTotalTimeout(org.threeten.bp.Duration.ofSeconds(2))
        .setInitialRetryDelay(org.threeten.bp.Duration.ofMillis(50)).setMaxRetryDelay(org.threeten.bp.Duration.ofMillis(200))
        .setRetryDelayMultiplier(1.5).setInitialRpcTimeout(org.threeten.bp.Duration.ofSeconds(1))
        .setMaxRpcTimeout(org.threeten.bp.Duration.ofSeconds(1)).setRpcTimeoutMultiplier(1.0).build();
    return FirestoreOptions.newBuilder().setProjectId(FIRESTORE.projectId())
        .setEmulatorHost("127.0.0.1:" + port).setRetrySettings(quick).build().getService();
  }

}
