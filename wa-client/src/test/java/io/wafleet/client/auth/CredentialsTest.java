package io.wafleet.client.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.PersistedCredentials;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {

  private final Credentials fresh = Credentials.generate(new SecureRandom());

  @Test
  void generate_registrationId_isNeverZero_andStaysInLibsignalsRange() {
    // A random source at both ends of its range: 0 used to become registration id 0.
    for (int drawn : new int[] {0, Credentials.MAX_REGISTRATION_ID - 1}) {
      SecureRandom fixed = new SecureRandom() {
        @Override
        public int nextInt(int bound) {
          if (drawn >= bound) {
            throw new IllegalArgumentException("bound " + bound + " too small for " + drawn);
          }
          return drawn;
        }
      };
      assertEquals(drawn + 1, Credentials.generate(fixed).registrationId());
    }
  }

  @Test
  void generate_unpairedWithValidSignedPreKey() {
    assertFalse(fresh.isPaired());
    assertNull(fresh.me());
    assertEquals(1, fresh.signedPreKey().id());
    assertTrue(fresh.registrationId() >= 0 && fresh.registrationId() <= 0x3FFF);
    assertEquals(32, fresh.advSecretKey().length);
    assertTrue(Curve25519.verify(fresh.signedIdentityKey().publicKey(),
        Curve25519.withTypePrefix(fresh.signedPreKey().keyPair().publicKey()),
        fresh.signedPreKey().signature()));
  }

  @Test
  void serialize_parse_roundTripsUnpaired() throws Exception {
    assertEquals(fresh, Credentials.parse(fresh.serialize()));
  }

  @Test
  void serialize_parse_roundTripsPaired() throws Exception {
    Credentials paired = fresh.toBuilder()
        .me(Jid.parse("40700000001:3@s.whatsapp.net"))
        .lid(Jid.parse("100000000000001:3@lid"))
        .pushName("Shop").platform("android").account(new byte[] {1, 2, 3})
        .nextPreKeyId(813).firstUnuploadedPreKeyId(813).routingInfo(new byte[] {9})
        .build();
    Credentials parsed = Credentials.parse(paired.serialize());
    assertEquals(paired, parsed);
    assertTrue(parsed.isPaired());
    assertArrayEquals(new byte[] {9}, parsed.routingInfo());
  }

  @Test
  void parse_garbage_typedException() {
    assertThrows(CredentialsFormatException.class, () -> Credentials.parse(new byte[] {(byte) 0xFF, 1, 2}));
    assertThrows(CredentialsFormatException.class, () -> Credentials.parse(new byte[0]));
    assertThrows(CredentialsFormatException.class, () -> Credentials.parse(null));
  }

  @Test
  void parse_unknownVersion_typedException() throws Exception {
    byte[] future = PersistedCredentials.parseFrom(fresh.serialize()).toBuilder().setVersion(99)
        .build().toByteArray();
    CredentialsFormatException e = assertThrows(CredentialsFormatException.class,
        () -> Credentials.parse(future));
    assertTrue(e.getMessage().contains("99"), e.getMessage());
  }

  @Test
  void parse_invalidKeyLength_typedException() throws Exception {
    byte[] broken = PersistedCredentials.parseFrom(fresh.serialize()).toBuilder()
        .setNoisePublic(com.google.protobuf.ByteString.copyFrom(new byte[5])).build().toByteArray();
    assertThrows(CredentialsFormatException.class, () -> Credentials.parse(broken));
  }

  @Test
  void accessors_returnCopies() {
    byte[] secret = fresh.advSecretKey();
    secret[0] ^= 1;
    assertFalse(java.util.Arrays.equals(secret, fresh.advSecretKey()));
  }

  @Test
  void toString_leaksNoKeysOrNumber() {
    Credentials paired = fresh.toBuilder().me(Jid.parse("40700000001:3@s.whatsapp.net"))
        .account(new byte[] {1}).build();
    assertFalse(paired.toString().contains("40700000001"), paired.toString());
  }

  @Test
  void inMemoryKeyStore_storesLoadsAndDeletesOnNull() {
    InMemoryAuthState state = new InMemoryAuthState(fresh);
    SignalKeyStore keys = state.keys();
    keys.store(SignalKeyStore.PRE_KEY, Map.of("1", new byte[] {1}, "2", new byte[] {2}));
    assertEquals(2, keys.load(SignalKeyStore.PRE_KEY, List.of("1", "2", "3")).size());
    java.util.HashMap<String, byte[]> delete = new java.util.HashMap<>();
    delete.put("1", null);
    keys.store(SignalKeyStore.PRE_KEY, delete);
    assertEquals(List.of("2"), List.copyOf(keys.load(SignalKeyStore.PRE_KEY, List.of("1", "2")).keySet()));
    assertTrue(keys.load(SignalKeyStore.SESSION, List.of("2")).isEmpty());
  }
}
