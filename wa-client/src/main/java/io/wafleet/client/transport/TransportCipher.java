package io.wafleet.client.transport;

/**
 * The post-handshake cipher (§2.3): one AES-256-GCM key and counter per direction, empty AAD,
 * counters from 0 and +1 per frame. Obtained from {@link NoiseHandshake#split()}.
 *
 * <p>Thread-safe: {@link #encrypt} and {@link #decrypt} are synchronized on separate locks, so
 * senders on several threads do not share a nonce. The counter order is the send order, though:
 * the peer decrypts frame n with nonce n, so a caller must hold one lock across encrypt and
 * send. {@link #decrypt} is meant for the connection's single reader thread.
 */
public final class TransportCipher {

  private static final byte[] NO_AAD = new byte[0];

  private final CipherState sending;
  private final CipherState receiving;
  private final Object sendLock = new Object();
  private final Object receiveLock = new Object();

  TransportCipher(byte[] sendKey, byte[] receiveKey) {
    this.sending = new CipherState(sendKey);
    this.receiving = new CipherState(receiveKey);
  }

  /** Ciphertext plus tag of one outbound frame's plaintext; advances the send counter. */
  public byte[] encrypt(byte[] plaintext) {
    synchronized (sendLock) {
      return sending.encrypt(NO_AAD, plaintext);
    }
  }

  /**
   * Plaintext of one inbound frame; advances the receive counter only on success.
   *
   * @throws NoiseException if the frame is shorter than a tag or fails authentication; the
   *     connection must then be closed, as the counters no longer agree
   */
  public byte[] decrypt(byte[] ciphertext) throws NoiseException {
    synchronized (receiveLock) {
      return receiving.decrypt(NO_AAD, ciphertext);
    }
  }

  /** Frames encrypted so far. */
  public long sendCounter() {
    synchronized (sendLock) {
      return sending.counter();
    }
  }

  /** Frames decrypted so far. */
  public long receiveCounter() {
    synchronized (receiveLock) {
      return receiving.counter();
    }
  }
}
