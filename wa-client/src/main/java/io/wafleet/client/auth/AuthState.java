package io.wafleet.client.auth;

/**
 * Everything a device needs to log in again: its {@link Credentials} and its Signal key material
 * ({@link #keys()}). This is the one persistence seam of wa-client: {@link InMemoryAuthState} is
 * the reference implementation, {@link DirectoryAuthState} keeps a device in a local directory, the
 * connector backs it with Firestore.
 *
 * <p>The client reads {@link #credentials()} once per connection and calls
 * {@link #storeCredentials} each time they change (pairing, a new LID, pre-key upload, routing
 * info), right before it emits {@code CredentialsUpdated}. Implementations must be thread-safe and
 * must throw, never return stale or empty data, when storage fails (CONTRIBUTING.md).
 */
public interface AuthState {

  /** The current credentials; never null. */
  Credentials credentials();

  /** Replaces the credentials; called from the client's inbound thread. */
  void storeCredentials(Credentials credentials);

  /** The typed key store (pre-keys, later Signal sessions and identities). */
  SignalKeyStore keys();
}
