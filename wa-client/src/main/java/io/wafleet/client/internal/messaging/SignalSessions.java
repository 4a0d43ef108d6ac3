package io.wafleet.client.internal.messaging;

import io.wafleet.client.auth.AuthState;
import io.wafleet.client.model.Jid;
import io.wafleet.client.signal.CiphertextMessage;
import io.wafleet.client.signal.DecryptionCallback;
import io.wafleet.client.signal.DuplicateMessageException;
import io.wafleet.client.signal.InvalidKeyException;
import io.wafleet.client.signal.InvalidKeyIdException;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.PreKeyBundle;
import io.wafleet.client.signal.SessionBuilder;
import io.wafleet.client.signal.SessionCipher;
import io.wafleet.client.signal.SignalAddress;
import io.wafleet.client.signal.UntrustedIdentityException;

/**
 * Signal sessions per remote device, keyed LID-first like Baileys (§5): a PN device JID whose
 * user has a known LID uses the LID address {@code <lid>_1.<device>}; otherwise the JID's own
 * address. Not thread-safe: the inbound thread only, which serializes all Signal work.
 */
final class SignalSessions {

  private final AuthStateSignalStore store;
  private final LidMappings lids;

  SignalSessions(AuthState auth, LidMappings lids) {
    this.store = new AuthStateSignalStore(auth);
    this.lids = lids;
  }

  /** The session address of a device JID, LID-first. */
  SignalAddress address(Jid device) {
    Jid keyed = lids.lidFirst(device);
    int domain = keyed.domainType();
    String name = domain == Jid.DOMAIN_WHATSAPP ? keyed.user() : keyed.user() + "_" + domain;
    return new SignalAddress(name, keyed.deviceId());
  }

  boolean has(Jid device) {
    return store.containsSession(address(device));
  }

  void delete(Jid device) {
    store.deleteSession(address(device));
  }

  void process(Jid device, PreKeyBundle bundle) throws InvalidKeyException, UntrustedIdentityException {
    new SessionBuilder(store, address(device)).process(bundle);
  }

  CiphertextMessage encrypt(Jid device, byte[] padded) throws NoSessionException {
    return new SessionCipher(store, address(device)).encrypt(padded);
  }

  /** {@code beforeStore} sees the padded plaintext before the advanced session is stored. */
  byte[] decryptPreKey(Jid device, byte[] ciphertext, DecryptionCallback beforeStore)
      throws InvalidMessageException, DuplicateMessageException, InvalidKeyIdException,
      UntrustedIdentityException {
    return new SessionCipher(store, address(device)).decryptPreKeyMessage(ciphertext, beforeStore);
  }

  /** {@code beforeStore} sees the padded plaintext before the advanced session is stored. */
  byte[] decrypt(Jid device, byte[] ciphertext, DecryptionCallback beforeStore)
      throws InvalidMessageException, DuplicateMessageException, NoSessionException {
    return new SessionCipher(store, address(device)).decryptMessage(ciphertext, beforeStore);
  }
}
