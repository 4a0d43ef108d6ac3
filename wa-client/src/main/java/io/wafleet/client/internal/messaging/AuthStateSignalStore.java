package io.wafleet.client.internal.messaging;

import io.wafleet.client.auth.AuthState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.auth.SignedPreKey;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.internal.PreKeyUploader;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.PreKeyRecord;
import io.wafleet.client.signal.SessionRecord;
import io.wafleet.client.signal.SignalAddress;
import io.wafleet.client.signal.SignalProtocolStore;
import io.wafleet.client.signal.SignedPreKeyRecord;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Signal layer's stores over an {@link AuthState}: the one adapter between wa-client's
 * persistence seam and {@code io.wafleet.client.signal}. Identity, registration id and the current
 * signed pre-key come from the credentials; pre-keys, sessions, remote identities and older
 * signed pre-keys are blobs in {@link AuthState#keys()} (pre-keys as {@code PreKeyRecord}, as
 * {@link PreKeyUploader} writes them). Every identity is trusted, as WhatsApp does (§10.6).
 * A blob that does not parse throws {@link IllegalStateException}: corrupt storage never reads as
 * "absent". Thread-safe as far as the auth state is.
 */
final class AuthStateSignalStore implements SignalProtocolStore {

  /** Signed pre-keys other than the current one (after a rotation). */
  static final String SIGNED_PRE_KEY = "signed-pre-key";

  private final AuthState auth;

  AuthStateSignalStore(AuthState auth) {
    this.auth = auth;
  }

  @Override
  public KeyPair identityKeyPair() {
    return auth.credentials().signedIdentityKey();
  }

  @Override
  public int localRegistrationId() {
    return auth.credentials().registrationId();
  }

  @Override
  public boolean saveIdentity(SignalAddress address, byte[] identityKey) {
    Optional<byte[]> previous = loadIdentity(address);
    store(SignalKeyStore.IDENTITY, address.toString(), identityKey.clone());
    return previous.isPresent() && !Arrays.equals(previous.get(), identityKey);
  }

  @Override
  public boolean isTrustedIdentity(SignalAddress address, byte[] identityKey) {
    return true;
  }

  @Override
  public Optional<byte[]> loadIdentity(SignalAddress address) {
    return Optional.ofNullable(load(SignalKeyStore.IDENTITY, address.toString()));
  }

  @Override
  public Optional<PreKeyRecord> loadPreKey(int preKeyId) {
    byte[] blob = load(SignalKeyStore.PRE_KEY, Integer.toString(preKeyId));
    try {
      return blob == null ? Optional.empty() : Optional.of(new PreKeyRecord(blob));
    } catch (InvalidMessageException e) {
      throw corrupt("pre-key " + preKeyId, e);
    }
  }

  @Override
  public void storePreKey(PreKeyRecord record) {
    store(SignalKeyStore.PRE_KEY, Integer.toString(record.id()), record.serialize());
  }

  @Override
  public boolean containsPreKey(int preKeyId) {
    return load(SignalKeyStore.PRE_KEY, Integer.toString(preKeyId)) != null;
  }

  @Override
  public void deletePreKey(int preKeyId) {
    store(SignalKeyStore.PRE_KEY, Integer.toString(preKeyId), null);
  }

  @Override
  public Optional<SignedPreKeyRecord> loadSignedPreKey(int signedPreKeyId) {
    SignedPreKey current = auth.credentials().signedPreKey();
    if (current.id() == signedPreKeyId) {
      return Optional.of(new SignedPreKeyRecord(current.id(), current.keyPair(),
          current.signature(), 0L));
    }
    byte[] blob = load(SIGNED_PRE_KEY, Integer.toString(signedPreKeyId));
    try {
      return blob == null ? Optional.empty() : Optional.of(new SignedPreKeyRecord(blob));
    } catch (InvalidMessageException e) {
      throw corrupt("signed pre-key " + signedPreKeyId, e);
    }
  }

  @Override
  public void storeSignedPreKey(SignedPreKeyRecord record) {
    store(SIGNED_PRE_KEY, Integer.toString(record.id()), record.serialize());
  }

  @Override
  public boolean containsSignedPreKey(int signedPreKeyId) {
    return loadSignedPreKey(signedPreKeyId).isPresent();
  }

  @Override
  public void deleteSignedPreKey(int signedPreKeyId) {
    Credentials creds = auth.credentials();
    if (creds.signedPreKey().id() == signedPreKeyId) {
      throw new IllegalArgumentException("cannot delete the current signed pre-key");
    }
    store(SIGNED_PRE_KEY, Integer.toString(signedPreKeyId), null);
  }

  @Override
  public SessionRecord loadSession(SignalAddress address) {
    byte[] blob = load(SignalKeyStore.SESSION, address.toString());
    try {
      return blob == null ? new SessionRecord() : new SessionRecord(blob);
    } catch (InvalidMessageException e) {
      throw corrupt("session " + address, e);
    }
  }

  @Override
  public void storeSession(SignalAddress address, SessionRecord record) {
    store(SignalKeyStore.SESSION, address.toString(), record.serialize());
  }

  @Override
  public boolean containsSession(SignalAddress address) {
    return loadSession(address).hasCurrentState();
  }

  @Override
  public void deleteSession(SignalAddress address) {
    store(SignalKeyStore.SESSION, address.toString(), null);
  }

  private byte[] load(String type, String id) {
    return auth.keys().load(type, List.of(id)).get(id);
  }

  private void store(String type, String id, byte[] value) {
    auth.keys().store(type, Collections.singletonMap(id, value));
  }

  private static IllegalStateException corrupt(String what, Exception cause) {
    return new IllegalStateException("stored " + what + " is unreadable: " + cause.getMessage(), cause);
  }
}
