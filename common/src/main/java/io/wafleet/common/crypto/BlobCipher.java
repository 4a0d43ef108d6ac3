package io.wafleet.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for session material before it leaves the process. The key id travels beside the
 * blob so keys can be rotated; the blob's context (its document path) is bound in as associated
 * data, so a blob copied to another account's document does not decrypt. Thread-safe.
 *
 * <p>Layout: {@code 0x01 ‖ nonce(12) ‖ ciphertext ‖ tag(16)}.
 */
public final class BlobCipher {

  private static final byte FORMAT_VERSION = 1;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final int OVERHEAD = 1 + NONCE_LENGTH + TAG_BITS / 8;

  private final KeyRing keys;
  private final SecureRandom random;

  public BlobCipher(KeyRing keys) {
    this(keys, new SecureRandom());
  }

  BlobCipher(KeyRing keys, SecureRandom random) {
    this.keys = Objects.requireNonNull(keys, "keys == null");
    this.random = Objects.requireNonNull(random, "random == null");
  }

  /** Encrypts under the ring's current key. */
  public EncryptedBlob encrypt(byte[] plaintext, String context) {
    Objects.requireNonNull(plaintext, "plaintext == null");
    Objects.requireNonNull(context, "context == null");
    String keyId = keys.currentKeyId();
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] sealed = run(Cipher.ENCRYPT_MODE, keys.key(keyId), nonce, context, plaintext, 0, plaintext.length);
    byte[] out = new byte[1 + NONCE_LENGTH + sealed.length];
    out[0] = FORMAT_VERSION;
    System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
    System.arraycopy(sealed, 0, out, 1 + NONCE_LENGTH, sealed.length);
    return new EncryptedBlob(keyId, out);
  }

  /**
   * Decrypts or throws {@link BlobDecryptionException}: a tampered, truncated or misplaced blob, or one
   * under a key id the ring does not hold, never returns garbage.
   */
  public byte[] decrypt(EncryptedBlob blob, String context) {
    Objects.requireNonNull(blob, "blob == null");
    Objects.requireNonNull(context, "context == null");
    byte[] data = blob.data();
    if (data.length < OVERHEAD) {
      throw new BlobDecryptionException("blob is truncated (" + data.length + " bytes)");
    }
    if (data[0] != FORMAT_VERSION) {
      throw new BlobDecryptionException("unknown blob format version " + data[0]);
    }
    byte[] key = keys.find(blob.keyId())
        .orElseThrow(() -> new BlobDecryptionException("unknown key id '" + blob.keyId() + "'"));
    byte[] nonce = new byte[NONCE_LENGTH];
    System.arraycopy(data, 1, nonce, 0, NONCE_LENGTH);
    int offset = 1 + NONCE_LENGTH;
    return run(Cipher.DECRYPT_MODE, key, nonce, context, data, offset, data.length - offset);
  }

  private static byte[] run(int mode, byte[] key, byte[] nonce, String context, byte[] input, int offset, int length) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input, offset, length);
    } catch (AEADBadTagException e) {
      throw new BlobDecryptionException("blob failed authentication (tampered, or wrong key or context)");
    } catch (GeneralSecurityException e) {
      throw new BlobDecryptionException("AES-GCM failed: " + e.getMessage());
    }
  }
}
