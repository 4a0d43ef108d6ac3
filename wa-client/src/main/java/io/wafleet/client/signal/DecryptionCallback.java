package io.wafleet.client.signal;

/**
 * Sees a decrypted (still padded) plaintext before {@link SessionCipher} stores the advanced
 * session. A receiver that must never lose a message persists the plaintext here: once the
 * session is stored the message key is gone, and a redelivered ciphertext no longer decrypts
 * (docs/protocol.md §13, "Idempotent receive"). If it throws, the session is not stored and
 * the exception propagates. Called on the decrypting thread.
 */
@FunctionalInterface
public interface DecryptionCallback {

  /** Does nothing: the plain {@code decrypt*} methods. */
  DecryptionCallback NONE = padded -> { };

  void handlePlaintext(byte[] paddedPlaintext);
}
