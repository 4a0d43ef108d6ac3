package io.wafleet.client.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.proto.WaSignalProtos.SessionRecordStructure;
import org.junit.jupiter.api.Test;

class SignalRecordsTest {

  @Test
  void preKeyRecord_serializeRoundTrip_equalsOriginal() throws Exception {
    PreKeyRecord record = new PreKeyRecord(42, Curve25519.generateKeyPair());
    assertEquals(record, new PreKeyRecord(record.serialize()));
  }

  @Test
  void signedPreKeyRecord_serializeRoundTrip_equalsOriginal() throws Exception {
    SignedPreKeyRecord record =
        new SignedPreKeyRecord(3, Curve25519.generateKeyPair(), new byte[64], 1_700_000_000_123L);
    assertEquals(record, new SignedPreKeyRecord(record.serialize()));
  }

  @Test
  void records_malformedBytes_throwInvalidMessage() {
    byte[] garbage = {0x0a, 0x7f, 0x01};
    assertThrows(InvalidMessageException.class, () -> new PreKeyRecord(garbage));
    assertThrows(InvalidMessageException.class, () -> new SignedPreKeyRecord(garbage));
    assertThrows(InvalidMessageException.class, () -> new SessionRecord(garbage));
  }

  @Test
  void sessionRecord_unknownFormatVersion_throwsInvalidMessage() {
    byte[] future = SessionRecordStructure.newBuilder().setVersion(99).build().toByteArray();
    assertThrows(InvalidMessageException.class, () -> new SessionRecord(future));
  }

  @Test
  void sessionRecord_empty_roundTripsWithoutState() throws Exception {
    SessionRecord restored = new SessionRecord(new SessionRecord().serialize());
    assertFalse(restored.hasCurrentState());
    assertEquals(0, restored.archivedStateCount());
  }

  @Test
  void sessionRecord_manyResets_keepsAtMostFortyArchivedStates() throws Exception {
    Party alice = new Party("15550001111", 0, 1);
    Party bob = new Party("15550002222", 0, 2);
    SessionRecord record = new SessionRecord();
    for (int i = 0; i < SessionRecord.MAX_ARCHIVED_STATES + 5; i++) {
      new SessionBuilder(alice.store, bob.address).process(bob.bundleWithoutPreKey());
      record.promoteState(alice.store.loadSession(bob.address).currentState());
    }
    assertTrue(record.hasCurrentState());
    assertEquals(SessionRecord.MAX_ARCHIVED_STATES, record.archivedStateCount());
    assertEquals(SessionRecord.MAX_ARCHIVED_STATES, new SessionRecord(record.serialize()).archivedStateCount());
  }

  @Test
  void sessionRecord_archiveCurrentState_leavesNoCurrentButKeepsRemoteFactsArchived() throws Exception {
    Party alice = new Party("15550001111", 0, 1);
    Party bob = new Party("15550002222", 0, 2);
    alice.startSessionWith(bob);
    SessionRecord record = alice.store.loadSession(bob.address);
    assertEquals(2, record.remoteRegistrationId().getAsInt());
    assertArrayEquals(bob.store.identityKeyPair().publicKey(), record.remoteIdentityKey().orElseThrow());

    record.archiveCurrentState();
    alice.store.storeSession(bob.address, record);

    assertFalse(alice.store.containsSession(bob.address));
    assertThrows(NoSessionException.class, () -> alice.send(bob, "x"));
  }

  @Test
  void signalAddress_toString_isNameDotDevice() {
    assertEquals("15550002222.3", new SignalAddress("15550002222", 3).toString());
    assertThrows(IllegalArgumentException.class, () -> new SignalAddress("a.b", 1));
  }

  @Test
  void inMemoryStore_saveIdentity_reportsChangeOnlyForDifferentKey() {
    InMemorySignalProtocolStore store = new InMemorySignalProtocolStore(Curve25519.generateKeyPair(), 5);
    SignalAddress address = new SignalAddress("15550002222", 1);
    byte[] first = Curve25519.generateKeyPair().publicKey();
    assertFalse(store.saveIdentity(address, first));
    assertFalse(store.saveIdentity(address, first));
    assertTrue(store.saveIdentity(address, Curve25519.generateKeyPair().publicKey()));
    assertTrue(store.isTrustedIdentity(address, first));
  }

  @Test
  void inMemoryStore_loadSession_returnsIndependentCopy() throws Exception {
    Party alice = new Party("15550001111", 0, 1);
    Party bob = new Party("15550002222", 0, 2);
    alice.startSessionWith(bob);
    SessionRecord copy = alice.store.loadSession(bob.address);
    copy.archiveCurrentState();
    assertTrue(alice.store.loadSession(bob.address).hasCurrentState());
  }
}
