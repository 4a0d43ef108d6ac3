package io.wafleet.client.signal;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import java.nio.charset.StandardCharsets;

/** One test device: identity, a signed pre-key, ten one-time pre-keys and an in-memory store. */
final class Party {

  static final int SIGNED_PRE_KEY_ID = 7;

  final SignalAddress address;
  final InMemorySignalProtocolStore store;
  private int nextPreKeyId = 1;

  Party(String name, int deviceId, int registrationId) {
    this.address = new SignalAddress(name, deviceId);
    KeyPair identity = Curve25519.generateKeyPair();
    this.store = new InMemorySignalProtocolStore(identity, registrationId);
    KeyPair signed = Curve25519.generateKeyPair();
    byte[] signature = Curve25519.sign(identity.privateKey(), Curve25519.withTypePrefix(signed.publicKey()));
    store.storeSignedPreKey(new SignedPreKeyRecord(SIGNED_PRE_KEY_ID, signed, signature, 1_700_000_000_000L));
    for (int id = 1; id <= 10; id++) {
      store.storePreKey(new PreKeyRecord(id, Curve25519.generateKeyPair()));
    }
  }

  /** A bundle with the next unused one-time pre-key, as the server would hand out. */
  PreKeyBundle bundle() {
    int id = nextPreKeyId++;
    PreKeyRecord preKey = store.loadPreKey(id).orElseThrow();
    return bundle(id, preKey.keyPair().publicKey());
  }

  PreKeyBundle bundleWithoutPreKey() {
    return bundle(null, null);
  }

  private PreKeyBundle bundle(Integer preKeyId, byte[] preKeyPublic) {
    SignedPreKeyRecord signed = store.loadSignedPreKey(SIGNED_PRE_KEY_ID).orElseThrow();
    return new PreKeyBundle(store.localRegistrationId(), address.deviceId(), preKeyId, preKeyPublic,
        signed.id(), signed.keyPair().publicKey(), signed.signature(),
        store.identityKeyPair().publicKey());
  }

  void startSessionWith(Party other) throws Exception {
    new SessionBuilder(store, other.address).process(other.bundle());
  }

  SessionCipher cipherFor(Party other) {
    return new SessionCipher(store, other.address);
  }

  /** Encrypts {@code text} to {@code other}. */
  CiphertextMessage send(Party other, String text) throws Exception {
    return cipherFor(other).encrypt(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Decrypts a message from {@code other} according to its type. */
  String receive(Party other, CiphertextMessage message) throws Exception {
    SessionCipher cipher = cipherFor(other);
    byte[] plaintext = message.type() == CiphertextMessage.Type.PREKEY
        ? cipher.decryptPreKeyMessage(message.serialized())
        : cipher.decryptMessage(message.serialized());
    return new String(plaintext, StandardCharsets.UTF_8);
  }
}
