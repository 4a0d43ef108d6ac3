package io.wafleet.client.signal;

import java.util.Optional;

/** Our signed pre-keys, by id. Implementations must be thread-safe. */
public interface SignedPreKeyStore {

  /** Empty only when no such signed pre-key exists; storage failures throw. */
  Optional<SignedPreKeyRecord> loadSignedPreKey(int signedPreKeyId);

  void storeSignedPreKey(SignedPreKeyRecord record);

  boolean containsSignedPreKey(int signedPreKeyId);

  void deleteSignedPreKey(int signedPreKeyId);
}
