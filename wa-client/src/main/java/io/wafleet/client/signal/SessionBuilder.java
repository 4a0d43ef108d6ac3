package io.wafleet.client.signal;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Starts sessions with X3DH (§10.2). {@link #process} is the initiator's side: it turns a remote
 * device's {@link PreKeyBundle} into a session whose messages are {@code pkmsg} until the peer
 * answers. The responder's side runs inside {@link SessionCipher#decryptPreKeyMessage}.
 * Not thread-safe: callers serialize all Signal operations per address.
 */
public final class SessionBuilder {

  private final SignalProtocolStore store;
  private final SignalAddress address;
  private final Supplier<KeyPair> keyPairs;

  public SessionBuilder(SignalProtocolStore store, SignalAddress address) {
    this(store, address, Curve25519::generateKeyPair);
  }

  /** {@code keyPairs} supplies base and ratchet keys; tests replay recorded ones. */
  SessionBuilder(SignalProtocolStore store, SignalAddress address, Supplier<KeyPair> keyPairs) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.address = Objects.requireNonNull(address, "address == null");
    this.keyPairs = Objects.requireNonNull(keyPairs, "keyPairs == null");
  }

  /**
   * Builds a new session from {@code bundle}, archiving any current one, and stores it.
   *
   * @throws InvalidKeyException if the signed pre-key signature over {@code 05 ‖ key} does not
   *     verify (stricter than Baileys, §8.5) or a bundle key is unusable
   * @throws UntrustedIdentityException if the identity store refuses the bundle's identity key
   */
  public void process(PreKeyBundle bundle) throws InvalidKeyException, UntrustedIdentityException {
    Objects.requireNonNull(bundle, "bundle == null");
    byte[] theirIdentity = bundle.identityKey();
    if (!store.isTrustedIdentity(address, theirIdentity)) {
      throw new UntrustedIdentityException(address, theirIdentity);
    }
    byte[] signedPreKey = bundle.signedPreKeyPublic();
    if (!Curve25519.verify(theirIdentity, Curve25519.withTypePrefix(signedPreKey),
        bundle.signedPreKeySignature())) {
      throw new InvalidKeyException("signed pre-key signature does not verify");
    }
    SessionState state;
    try {
      state = initiatorState(bundle);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("unusable key in pre-key bundle", e);
    }
    SessionRecord record = store.loadSession(address);
    record.promoteState(state);
    store.saveIdentity(address, theirIdentity);
    store.storeSession(address, record);
  }

  private SessionState initiatorState(PreKeyBundle bundle) {
    KeyPair ourIdentity = store.identityKeyPair();
    KeyPair baseKey = keyPairs.get();
    byte[] signedPreKey = bundle.signedPreKeyPublic();
    byte[] rootKey = X3dh.initiatorRootKey(ourIdentity.privateKey(), baseKey.privateKey(),
        bundle.identityKey(), signedPreKey, bundle.preKeyPublic());
    SessionState state = new SessionState(bundle.registrationId(), ourIdentity.publicKey(),
        bundle.identityKey(), baseKey.publicKey(), true);
    state.rootKey(rootKey);
    // The initiator ratchets at once against the signed pre-key (session_builder.js
    // calculateSendingRatchet), so its first message already uses a fresh ratchet key.
    KeyPair ratchet = keyPairs.get();
    state.ourRatchet(ratchet);
    state.theirRatchetKey(signedPreKey);
    state.sendingChain(Ratchet.deriveChain(state, signedPreKey, ratchet.publicKey()));
    state.pendingPreKey(
        new PendingPreKey(bundle.preKeyId(), bundle.signedPreKeyId(), baseKey.publicKey()));
    return state;
  }

  /**
   * Bob's new state for a {@code pkmsg} he has no session for yet. The state has no chains: the
   * inner message's ratchet key opens them.
   */
  static SessionState responderState(SignalProtocolStore store, PreKeySignalMessage message)
      throws InvalidKeyIdException, InvalidMessageException {
    SignedPreKeyRecord signedPreKey = store.loadSignedPreKey(message.signedPreKeyId())
        .orElseThrow(() -> new InvalidKeyIdException(
            "no signed pre-key with id " + message.signedPreKeyId()));
    KeyPair oneTimePreKey = null;
    if (message.preKeyId() != null) {
      oneTimePreKey = store.loadPreKey(message.preKeyId())
          .orElseThrow(() -> new InvalidKeyIdException("no pre-key with id " + message.preKeyId()))
          .keyPair();
    }
    KeyPair ourIdentity = store.identityKeyPair();
    byte[] rootKey;
    try {
      rootKey = X3dh.responderRootKey(ourIdentity.privateKey(),
          signedPreKey.keyPair().privateKey(),
          oneTimePreKey == null ? null : oneTimePreKey.privateKey(),
          message.identityKey(), message.baseKey());
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("unusable key in PreKeyWhisperMessage", e);
    }
    SessionState state = new SessionState(message.registrationId(), ourIdentity.publicKey(),
        message.identityKey(), message.baseKey(), false);
    state.rootKey(rootKey);
    state.ourRatchet(signedPreKey.keyPair());
    state.theirRatchetKey(message.baseKey());
    return state;
  }
}
