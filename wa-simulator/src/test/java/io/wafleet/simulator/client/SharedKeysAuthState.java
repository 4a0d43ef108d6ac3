package io.wafleet.simulator.client;

import io.wafleet.client.auth.AuthState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;

/**
 * A "restarted process": credentials read back from their serialized bytes, over the key store
 * that survived (what a Firestore-backed AuthState gives the connector). Thread-safe.
 */
final class SharedKeysAuthState implements AuthState {

  private volatile Credentials credentials;
  private final SignalKeyStore keys;

  SharedKeysAuthState(byte[] serializedCredentials, SignalKeyStore keys) throws Exception {
    this.credentials = Credentials.parse(serializedCredentials);
    this.keys = keys;
  }

  @Override
  public Credentials credentials() {
    return credentials;
  }

  @Override
  public void storeCredentials(Credentials value) {
    credentials = value;
  }

  @Override
  public SignalKeyStore keys() {
    return keys;
  }
}
