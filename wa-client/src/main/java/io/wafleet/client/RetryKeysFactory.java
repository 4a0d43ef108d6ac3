package io.wafleet.client;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.signal.PreKeyRecord;
import java.util.Map;

/**
 * The {@code <keys>} of a retry receipt (§9.4): one freshly generated one-time pre-key (stored
 * before it is sent, with {@code nextPreKeyId} advanced), the signed pre-key, the identity and the
 * device identity. Inbound thread only.
 */
final class RetryKeysFactory {

  private final ConnectionContext ctx;

  RetryKeysFactory(ConnectionContext ctx) {
    this.ctx = ctx;
  }

  MessageStanzas.RetryKeys create() {
    Credentials creds = ctx.credentials();
    int id = creds.nextPreKeyId();
    PreKeyRecord key = new PreKeyRecord(id, Curve25519.generateKeyPair());
    ctx.keys().store(SignalKeyStore.PRE_KEY, Map.of(Integer.toString(id), key.serialize()));
    ctx.updateCredentials(creds.toBuilder().nextPreKeyId(id + 1).build());
    return new MessageStanzas.RetryKeys(creds.signedIdentityKey().publicKey(), id,
        key.keyPair().publicKey(), creds.signedPreKey().id(),
        creds.signedPreKey().keyPair().publicKey(), creds.signedPreKey().signature(),
        creds.account());
  }
}
