package io.wafleet.client.signal;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Encrypts to and decrypts from one remote device (§8.6, §9.2, §10.3). Each call loads the
 * session record, works on it and stores it back; a failed decrypt stores nothing. Failures
 * surface only as this package's checked exceptions, except errors of the store itself, which
 * propagate unchanged so that a storage outage never looks like a bad message.
 *
 * <p>Not thread-safe: callers serialize all operations per address (libsignal-node does so with
 * its per-address job queue).
 */
public final class SessionCipher {

  private final SignalProtocolStore store;
  private final SignalAddress address;
  private final Supplier<KeyPair> keyPairs;

  public SessionCipher(SignalProtocolStore store, SignalAddress address) {
    this(store, address, Curve25519::generateKeyPair);
  }

  /** {@code keyPairs} supplies ratchet keys; tests replay recorded ones. */
  SessionCipher(SignalProtocolStore store, SignalAddress address, Supplier<KeyPair> keyPairs) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.address = Objects.requireNonNull(address, "address == null");
    this.keyPairs = Objects.requireNonNull(keyPairs, "keyPairs == null");
  }

  /**
   * Encrypts an already padded plaintext ({@link Padding#pad}). The result is a {@code pkmsg}
   * while the session still waits for the peer's first answer, else a {@code msg}.
   *
   * @throws NoSessionException if there is no current session: process a bundle first
   */
  public CiphertextMessage encrypt(byte[] paddedPlaintext) throws NoSessionException {
    Objects.requireNonNull(paddedPlaintext, "paddedPlaintext == null");
    SessionRecord record = store.loadSession(address);
    SessionState state = record.currentState();
    if (state == null) {
      throw new NoSessionException("no session for " + address);
    }
    SignalMessage message = Ratchet.encrypt(state, paddedPlaintext);
    PendingPreKey pending = state.pendingPreKey();
    CiphertextMessage result = pending == null
        ? new CiphertextMessage(CiphertextMessage.Type.WHISPER, message.serialized())
        : new CiphertextMessage(CiphertextMessage.Type.PREKEY, PreKeySignalMessage.create(
            store.localRegistrationId(), pending, state.localIdentityKey(), message).serialized());
    store.storeSession(address, record);
    return result;
  }

  /**
   * Decrypts a {@code msg}, trying the current session, then archived ones (most recent first).
   *
   * @return the padded plaintext ({@link Padding#unpad})
   * @throws InvalidMessageException if the bytes are malformed or no session state accepts them
   * @throws DuplicateMessageException if this message's key was already used
   * @throws NoSessionException if there is no session for the address at all
   */
  public byte[] decryptMessage(byte[] ciphertext)
      throws InvalidMessageException, DuplicateMessageException, NoSessionException {
    return decryptMessage(ciphertext, DecryptionCallback.NONE);
  }

  /** As {@link #decryptMessage(byte[])}; {@code callback} sees the plaintext before the store. */
  public byte[] decryptMessage(byte[] ciphertext, DecryptionCallback callback)
      throws InvalidMessageException, DuplicateMessageException, NoSessionException {
    Objects.requireNonNull(callback, "callback == null");
    SignalMessage message = parse(() -> SignalMessage.parse(ciphertext));
    SessionRecord record = store.loadSession(address);
    List<SessionState> states = record.states();
    if (states.isEmpty()) {
      throw new NoSessionException("no session for " + address);
    }
    List<InvalidMessageException> failures = new ArrayList<>();
    for (SessionState state : states) {
      SessionState working = state.copy();
      try {
        byte[] plaintext = decryptOn(working, message);
        callback.handlePlaintext(plaintext.clone());
        record.replaceState(state, working);
        store.storeSession(address, record);
        return plaintext;
      } catch (InvalidMessageException e) {
        failures.add(e);
      }
    }
    InvalidMessageException failure = new InvalidMessageException(
        "no session state accepts the message (" + states.size() + " tried)", failures.get(0));
    failures.stream().skip(1).forEach(failure::addSuppressed);
    throw failure;
  }

  /**
   * Decrypts a {@code pkmsg}. A new base key starts a responder session (archiving the current
   * one) and deletes the one-time pre-key it used; a base key we already know (the sender has not
   * seen our answer yet) reuses that session.
   *
   * @return the padded plaintext ({@link Padding#unpad})
   * @throws InvalidMessageException if the bytes are malformed or the inner message is invalid
   * @throws DuplicateMessageException if this message's key was already used
   * @throws InvalidKeyIdException if it names a pre-key or signed pre-key we do not have
   * @throws UntrustedIdentityException if the identity store refuses the sender's identity key
   */
  public byte[] decryptPreKeyMessage(byte[] ciphertext) throws InvalidMessageException,
      DuplicateMessageException, InvalidKeyIdException, UntrustedIdentityException {
    return decryptPreKeyMessage(ciphertext, DecryptionCallback.NONE);
  }

  /**
   * As {@link #decryptPreKeyMessage(byte[])}; {@code callback} sees the plaintext before the
   * session, identity or pre-key deletion is stored.
   */
  public byte[] decryptPreKeyMessage(byte[] ciphertext, DecryptionCallback callback)
      throws InvalidMessageException, DuplicateMessageException, InvalidKeyIdException,
      UntrustedIdentityException {
    Objects.requireNonNull(callback, "callback == null");
    PreKeySignalMessage message = parse(() -> PreKeySignalMessage.parse(ciphertext));
    if (!store.isTrustedIdentity(address, message.identityKey())) {
      throw new UntrustedIdentityException(address, message.identityKey());
    }
    SessionRecord record = store.loadSession(address);
    SessionState known = record.stateWithTheirBaseKey(message.baseKey());
    if (known != null) {
      SessionState working = known.copy();
      byte[] plaintext = decryptOn(working, message.message());
      callback.handlePlaintext(plaintext.clone());
      record.replaceState(known, working);
      store.storeSession(address, record);
      return plaintext;
    }
    SessionState fresh = SessionBuilder.responderState(store, message);
    byte[] plaintext = decryptOn(fresh, message.message());
    callback.handlePlaintext(plaintext.clone());
    record.promoteState(fresh);
    store.saveIdentity(address, message.identityKey());
    store.storeSession(address, record);
    if (message.preKeyId() != null) {
      store.deletePreKey(message.preKeyId());
    }
    return plaintext;
  }

  private byte[] decryptOn(SessionState state, SignalMessage message)
      throws InvalidMessageException, DuplicateMessageException {
    try {
      return Ratchet.decrypt(state, message, keyPairs);
    } catch (RuntimeException e) {
      throw new InvalidMessageException("message does not decrypt", e);
    }
  }

  private interface Parser<T> {
    T parse() throws InvalidMessageException;
  }

  private static <T> T parse(Parser<T> parser) throws InvalidMessageException {
    try {
      return parser.parse();
    } catch (RuntimeException e) {
      throw new InvalidMessageException("malformed message", e);
    }
  }
}
