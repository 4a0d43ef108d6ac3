package io.wafleet.client.internal;

import io.wafleet.client.auth.AuthState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.event.CredentialsUpdated;

/**
 * This device's stored credentials and keys, as the flows change them: every credentials change
 * is written to the {@link AuthState} and announced with {@link CredentialsUpdated}. Thread-safe
 * as far as the auth state is.
 */
public final class DeviceAuth {

  private final AuthState authState;
  private final EventEmitter events;

  public DeviceAuth(AuthState authState, EventEmitter events) {
    this.authState = authState;
    this.events = events;
  }

  public Credentials credentials() {
    return authState.credentials();
  }

  /** Stores changed credentials and emits {@code CredentialsUpdated}. */
  public void updateCredentials(Credentials credentials) {
    authState.storeCredentials(credentials);
    events.emit(new CredentialsUpdated(credentials));
  }

  public SignalKeyStore keys() {
    return authState.keys();
  }

  /** The auth state itself, for the Signal stores over it. */
  public AuthState authState() {
    return authState;
  }
}
