package io.wafleet.client.signal;

import io.wafleet.client.crypto.Curve25519;

/**
 * Constants and checks of the v3 wire format (docs/protocol.md §10.3,
 * libsignal-node session_cipher.js). Stateless; thread-safe.
 */
final class WireFormat {

  /** (message version 3 << 4) | current version 3; also the byte inside the MAC input. */
  static final byte VERSION_BYTE = 0x33;
  static final int MAC_LENGTH = 8;

  private WireFormat() {}

  /** libsignal-node rejects a high nibble below 3 or a low nibble above 3. */
  static void checkVersion(byte versionByte, String what) throws InvalidMessageException {
    int messageVersion = (versionByte & 0xF0) >>> 4;
    int currentVersion = versionByte & 0x0F;
    if (currentVersion > 3 || messageVersion < 3) {
      throw new InvalidMessageException("incompatible version number on " + what);
    }
  }

  /** A 33-byte {@code 05}-prefixed key (or a raw 32-byte one, which libsignal-node also takes). */
  static byte[] publicKey(com.google.protobuf.ByteString key, String name)
      throws InvalidMessageException {
    try {
      return Curve25519.withoutTypePrefix(key.toByteArray());
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("invalid " + name, e);
    }
  }

  /** Protobuf uint32 fields arrive as Java ints; reject values Java cannot count up to. */
  static int counter(int value, String name) throws InvalidMessageException {
    if (value < 0 || value == Integer.MAX_VALUE) {
      throw new InvalidMessageException(name + " out of range");
    }
    return value;
  }
}
