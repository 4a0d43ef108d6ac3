package io.wafleet.connector.auth;

import io.wafleet.client.auth.AuthState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.CredentialsFormatException;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.FencingException;
import io.wafleet.common.store.SessionStore;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * wa-client's {@link AuthState} over Firestore ({@code wa_sessions}, encrypted by common's
 * {@code BlobCipher} inside {@link SessionStore}). The credentials are read once, at
 * {@link #restore}, and then served from memory; every write goes to Firestore first (fenced by the
 * owner's generation) and is visible to the client only after it committed. Signal keys live in a
 * {@link FirestoreKeyStore} (write-through cache, pre-keys never held in memory).
 *
 * <p>Failures: a write refused because another instance owns the account calls the fence listener
 * (the supervisor closes the socket at once) and throws {@link SessionFencedException}; Firestore
 * unreachable, a blob that does not decrypt, or credentials that do not parse throw
 * {@link SessionUnavailableException}. "No session stored" is only ever {@code restore}'s empty
 * result.
 *
 * <p>Thread-safe. Belongs to one account and one owner generation; a new claim builds a new one.
 */
public final class FirestoreAuthState implements AuthState {

  private final SessionStore store;
  private final String accountId;
  private final Owner owner;
  private final StoreCalls calls;
  private final FirestoreKeyStore keys;
  private volatile Credentials credentials;

  private FirestoreAuthState(SessionStore store, String accountId, Owner owner,
      Consumer<FencingException> onFenced, Credentials credentials) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.accountId = Objects.requireNonNull(accountId, "accountId == null");
    this.owner = Objects.requireNonNull(owner, "owner == null");
    this.calls = new StoreCalls(accountId, Objects.requireNonNull(onFenced, "onFenced == null"));
    this.keys = new FirestoreKeyStore(store, accountId, owner, calls);
    this.credentials = Objects.requireNonNull(credentials, "credentials == null");
  }

  /**
   * Reads the account's stored credentials (one Firestore read). Empty only when none were ever
   * stored.
   *
   * @throws SessionUnavailableException when Firestore fails, or the blob does not decrypt or parse
   */
  public static Optional<FirestoreAuthState> restore(SessionStore store, String accountId, Owner owner,
      Consumer<FencingException> onFenced) {
    StoreCalls calls = new StoreCalls(accountId, onFenced);
    Optional<byte[]> stored = calls.run(() -> store.loadCreds(accountId));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Credentials credentials;
    try {
      credentials = Credentials.parse(stored.get());
    } catch (CredentialsFormatException e) {
      throw new SessionUnavailableException(accountId, SessionUnavailableException.Kind.UNPARSEABLE,
          e.getMessage(), e);
    }
    return Optional.of(new FirestoreAuthState(store, accountId, owner, onFenced, credentials));
  }

  /**
   * A new, unpaired device for the account. Nothing is written until the client stores its
   * credentials (at pair-success), so an abandoned QR leaves any older stored session untouched.
   */
  public static FirestoreAuthState fresh(SessionStore store, String accountId, Owner owner,
      Consumer<FencingException> onFenced, SecureRandom random) {
    return new FirestoreAuthState(store, accountId, owner, onFenced, Credentials.generate(random));
  }

  @Override
  public Credentials credentials() {
    return credentials;
  }

  /**
   * Writes the credentials to Firestore (fenced), then makes them current.
   *
   * @throws SessionFencedException if this process no longer owns the account
   * @throws SessionUnavailableException if Firestore fails
   */
  @Override
  public void storeCredentials(Credentials updated) {
    Objects.requireNonNull(updated, "credentials == null");
    byte[] serialized = updated.serialize();
    calls.run(() -> {
      store.storeCreds(accountId, owner, serialized);
      return null;
    });
    credentials = updated;
  }

  @Override
  public SignalKeyStore keys() {
    return keys;
  }

  public String accountId() {
    return accountId;
  }

  public Owner owner() {
    return owner;
  }

  /** How many ids of a key type are held in memory; for tests and the status page. */
  int cachedKeyCount(String type) {
    return keys.cachedCount(type);
  }
}
