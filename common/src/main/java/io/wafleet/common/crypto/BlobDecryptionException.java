package io.wafleet.common.crypto;

/** A session blob could not be decrypted. Its message never contains key material. */
public final class BlobDecryptionException extends RuntimeException {
  public BlobDecryptionException(String message) {
    super(message);
  }
}
