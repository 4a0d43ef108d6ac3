package io.wafleet.common.crypto;

import java.util.Objects;

/** Ciphertext as stored in Firestore, with the id of the key that sealed it. */
public record EncryptedBlob(String keyId, byte[] data) {
  public EncryptedBlob {
    Objects.requireNonNull(keyId, "keyId == null");
    Objects.requireNonNull(data, "data == null");
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EncryptedBlob that
        && keyId.equals(that.keyId)
        && java.util.Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode() * 31 + java.util.Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "EncryptedBlob[keyId=" + keyId + ", bytes=" + data.length + "]";
  }
}
