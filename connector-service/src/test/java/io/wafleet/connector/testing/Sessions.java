package io.wafleet.connector.testing;

import io.wafleet.common.crypto.BlobCipher;
import io.wafleet.common.crypto.KeyRing;
import java.util.Arrays;
import java.util.Map;

/** Session-blob key rings for tests. */
public final class Sessions {

  private Sessions() {}

  /** A ring holding one 32-byte key {@code id}, filled with {@code fill}. */
  public static BlobCipher cipher(String id, int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return new BlobCipher(new KeyRing(Map.of(id, key), id));
  }
}
