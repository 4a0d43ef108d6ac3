package io.wafleet.client.signal;

import io.wafleet.client.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One step of a sender-key chain (docs/protocol.md §10.4): the message-key seed is
 * HMAC-SHA256(chain key, {@code 01}), the next chain key HMAC-SHA256(chain key, {@code 02}).
 * Immutable (the key is copied in and out); thread-safe.
 *
 * @param iteration the step number, from 0
 * @param key the 32-byte chain key
 */
record SenderChainKey(int iteration, byte[] key) {

  private static final byte[] MESSAGE_KEY_SEED = {0x01};
  private static final byte[] CHAIN_KEY_SEED = {0x02};
  private static final byte[] INFO = "WhisperGroup".getBytes(StandardCharsets.US_ASCII);

  SenderChainKey {
    key = key.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  SenderChainKey next() {
    return new SenderChainKey(iteration + 1, Hkdf.hmacSha256(key, CHAIN_KEY_SEED));
  }

  /** The seed of this step's message key. */
  byte[] messageKeySeed() {
    return Hkdf.hmacSha256(key, MESSAGE_KEY_SEED);
  }

  /**
   * The AES keys of a message-key seed: HKDF(seed, 32 zero bytes, "WhisperGroup") → IV = bytes
   * 0..16, AES key = bytes 16..48 (no MAC key: the message is signed instead).
   */
  static MessageKeys messageKeys(byte[] seed) {
    byte[] okm = Hkdf.derive(seed, new byte[32], INFO, 48);
    return new MessageKeys(Arrays.copyOfRange(okm, 16, 48), new byte[0],
        Arrays.copyOfRange(okm, 0, 16));
  }
}
