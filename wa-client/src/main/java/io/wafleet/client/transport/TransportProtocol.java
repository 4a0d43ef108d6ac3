package io.wafleet.client.transport;

import java.nio.charset.StandardCharsets;

/**
 * Wire constants of the transport layer, each citing its section of
 * docs/protocol.md. Arrays are returned as copies. Stateless; thread-safe.
 */
public final class TransportProtocol {

  /** Byte 2 of the intro header; the protocol gives it no meaning beyond "must be 6" (§1.2). */
  public static final byte WA_MAGIC_VALUE = 6;
  /** Byte 3 of the intro header: the token-dictionary version {@code DICT_VERSION} (§0, §1.2). */
  public static final byte DICT_VERSION = 3;
  /** Bytes of the big-endian length before each frame (§1.3). */
  public static final int FRAME_LENGTH_BYTES = 3;
  /** The largest length three bytes can express (§1.3). */
  public static final int MAX_FRAME_LENGTH = 0xFF_FFFF;
  /** Our default limit for inbound frames; a larger frame is refused before it is buffered. */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 8 * 1024 * 1024;
  /** AES-GCM tag appended to every ciphertext (§2.1, §2.3). */
  public static final int GCM_TAG_LENGTH = 16;
  /** Raw X25519 key length; Noise never uses the {@code 05} prefix (§2.1). */
  public static final int KEY_LENGTH = 32;
  /** The intermediate certificate's issuer serial that Baileys and whatsmeow require (§0, §2.4). */
  public static final int CERT_ISSUER_SERIAL = 0;

  private static final byte[] INTRO_HEADER = {'W', 'A', WA_MAGIC_VALUE, DICT_VERSION};
  private static final byte[] ROUTING_PREFIX = {'E', 'D', 0, 1};
  private static final byte[] NOISE_NAME =
      "Noise_XX_25519_AESGCM_SHA256\0\0\0\0".getBytes(StandardCharsets.US_ASCII);

  private TransportProtocol() {}

  /** {@code 57 41 06 03}: sent once before the first client frame and used as the prologue (§1.2). */
  public static byte[] introHeader() {
    return INTRO_HEADER.clone();
  }

  /**
   * {@code 45 44 00 01}: starts the routing-info intro, followed by a 3-byte length, the routing
   * info and then the {@link #introHeader()}; never part of the prologue (§1.2).
   */
  public static byte[] routingPrefix() {
    return ROUTING_PREFIX.clone();
  }

  /** The 32-byte Noise protocol name, used as the initial h and ck as is, not hashed (§0, §2.1). */
  public static byte[] noiseName() {
    return NOISE_NAME.clone();
  }
}
