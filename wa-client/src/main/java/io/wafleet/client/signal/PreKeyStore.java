package io.wafleet.client.signal;

import java.util.Optional;

/** Our one-time pre-keys, by id. Implementations must be thread-safe. */
public interface PreKeyStore {

  /** Empty only when no such pre-key exists; storage failures throw. */
  Optional<PreKeyRecord> loadPreKey(int preKeyId);

  void storePreKey(PreKeyRecord record);

  boolean containsPreKey(int preKeyId);

  /** Called once a {@code pkmsg} that used the pre-key decrypted (§9.2). */
  void deletePreKey(int preKeyId);
}
