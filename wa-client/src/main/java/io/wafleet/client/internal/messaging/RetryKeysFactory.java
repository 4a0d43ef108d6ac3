package io.wafleet.client.internal.messaging;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.internal.DeviceAuth;
import io.wafleet.client.signal.PreKeyRecord;
import java.util.Map;

/**
 * The {@code <keys>} of a retry receipt (§9.4): one freshly generated one-time pre-key (stored
 * before it is sent, with {@code nextPreKeyId} advanced), the signed pre-key, the identity and the
 * device identity. Inbound thread only.
 */
final class RetryKeysFactory {

  private final DeviceAuth auth;

  RetryKeysFactory(DeviceAuth auth) {
    this.auth = auth;
  }

  MessageStanzas.RetryKeys create() {
    Credentials creds = auth.credentials();
    int id = creds.nextPreKeyId();
    PreKeyRecord key = new PreKeyRecord(id, Curve25519.generateKeyPair());
    auth.keys().store(SignalKeyStore.PRE_KEY, Map.of(Integer.toString(id), key.serialize()));
    auth.updateCredentials(creds.toBuilder().nextPreKeyId(id + 1).build());
    return new MessageStanzas.RetryKeys(creds.signedIdentityKey().publicKey(), id,
        key.keyPair().publicKey(), creds.signedPreKey().id(),
        creds.signedPreKey().keyPair().publicKey(), creds.signedPreKey().signature(),
        creds.account());
  }
}
