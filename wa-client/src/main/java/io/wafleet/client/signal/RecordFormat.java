package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.KeyPair;

/** Shared checks for our persisted record formats. Stateless; thread-safe. */
final class RecordFormat {

  private RecordFormat() {}

  static void checkVersion(int found, int expected) throws InvalidMessageException {
    if (found != expected) {
      throw new InvalidMessageException("unsupported record version " + found);
    }
  }

  static KeyPair keyPair(ByteString privateKey, ByteString publicKey) throws InvalidMessageException {
    try {
      return new KeyPair(privateKey.toByteArray(), publicKey.toByteArray());
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("malformed key pair in record", e);
    }
  }

  static byte[] key32(ByteString key, String name) throws InvalidMessageException {
    if (key.size() != 32) {
      throw new InvalidMessageException(name + " length " + key.size() + " != 32");
    }
    return key.toByteArray();
  }
}
