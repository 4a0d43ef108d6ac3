package io.wafleet.client.signal;

import io.wafleet.client.crypto.KeyPair;
import java.util.Optional;

/**
 * Our identity and the identities we have seen. Keys are raw 32 bytes (§10.1). Implementations
 * must be thread-safe.
 */
public interface IdentityKeyStore {

  /** Our long-term identity key pair. */
  KeyPair identityKeyPair();

  /** Our 14-bit registration id (§10.1). */
  int localRegistrationId();

  /**
   * Remembers {@code identityKey} for {@code address}.
   *
   * @return true when a different key was stored before (the remote device re-registered)
   */
  boolean saveIdentity(SignalAddress address, byte[] identityKey);

  /**
   * Whether to accept {@code identityKey} for {@code address}. WhatsApp and Baileys accept every
   * identity (§10.6); a false answer makes the Signal layer throw
   * {@link UntrustedIdentityException}.
   */
  boolean isTrustedIdentity(SignalAddress address, byte[] identityKey);

  /** The identity last saved for {@code address}; empty if none. */
  Optional<byte[]> loadIdentity(SignalAddress address);
}
