package io.wafleet.client.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.signal.CiphertextMessage;
import io.wafleet.client.signal.PreKeyBundle;
import io.wafleet.client.signal.PreKeyRecord;
import io.wafleet.client.signal.SessionBuilder;
import io.wafleet.client.signal.SessionCipher;
import io.wafleet.client.signal.SignalAddress;
import io.wafleet.client.signal.SignedPreKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Signal layer runs over two AuthStates: the seam the connector's Firestore store plugs into. */
class AuthStateSignalStoreTest {

  private final InMemoryAuthState aliceAuth = InMemoryAuthState.create();
  private final InMemoryAuthState bobAuth = InMemoryAuthState.create();
  private final AuthStateSignalStore alice = new AuthStateSignalStore(aliceAuth);
  private final AuthStateSignalStore bob = new AuthStateSignalStore(bobAuth);
  private final SignalAddress aliceAddress = new SignalAddress("15550001111", 1);
  private final SignalAddress bobAddress = new SignalAddress("15550002222", 1);

  @Test
  void sessionOverAuthStates_pkmsgThenReply_decryptAndPersist() throws Exception {
    bob.storePreKey(new PreKeyRecord(1, Curve25519.generateKeyPair()));
    new SessionBuilder(alice, bobAddress).process(bundleOf(bob, bobAuth.credentials(), 1));
    assertTrue(alice.containsSession(bobAddress));

    CiphertextMessage hello = new SessionCipher(alice, bobAddress).encrypt(utf8("hello"));
    assertEquals(CiphertextMessage.Type.PREKEY, hello.type());
    byte[] received = new SessionCipher(bob, aliceAddress).decryptPreKeyMessage(hello.serialized());
    assertEquals("hello", new String(received, StandardCharsets.UTF_8));
    assertFalse(bob.containsPreKey(1), "the one-time pre-key is consumed");
    assertTrue(bob.loadIdentity(aliceAddress).isPresent());

    CiphertextMessage reply = new SessionCipher(bob, aliceAddress).encrypt(utf8("hi"));
    byte[] back = new SessionCipher(alice, bobAddress).decryptMessage(reply.serialized());
    assertEquals("hi", new String(back, StandardCharsets.UTF_8));
  }

  @Test
  void currentSignedPreKey_comesFromCredentials() {
    Credentials creds = aliceAuth.credentials();
    SignedPreKeyRecord record = alice.loadSignedPreKey(creds.signedPreKey().id()).orElseThrow();
    assertArrayEquals(creds.signedPreKey().keyPair().publicKey(), record.keyPair().publicKey());
    assertFalse(alice.containsSignedPreKey(99));
    assertEquals(creds.registrationId(), alice.localRegistrationId());
  }

  @Test
  void corruptBlob_throwsNeverReadsAsAbsent() {
    aliceAuth.keys().store(SignalKeyStore.SESSION, Map.of(bobAddress.toString(), new byte[] {(byte) 0xFF}));
    aliceAuth.keys().store(SignalKeyStore.PRE_KEY, Map.of("5", new byte[] {(byte) 0xFF}));
    assertThrows(IllegalStateException.class, () -> alice.loadSession(bobAddress));
    assertThrows(IllegalStateException.class, () -> alice.loadPreKey(5));
  }

  @Test
  void saveIdentity_reportsAChangedKey() {
    byte[] first = Curve25519.generateKeyPair().publicKey();
    assertFalse(alice.saveIdentity(bobAddress, first));
    assertFalse(alice.saveIdentity(bobAddress, first));
    assertTrue(alice.saveIdentity(bobAddress, Curve25519.generateKeyPair().publicKey()));
  }

  /** What the server would hand out for Bob (§8.5). */
  private static PreKeyBundle bundleOf(AuthStateSignalStore store, Credentials creds, int preKeyId) {
    PreKeyRecord preKey = store.loadPreKey(preKeyId).orElseThrow();
    return new PreKeyBundle(creds.registrationId(), 1, preKeyId, preKey.keyPair().publicKey(),
        creds.signedPreKey().id(), creds.signedPreKey().keyPair().publicKey(),
        creds.signedPreKey().signature(), creds.signedIdentityKey().publicKey());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
