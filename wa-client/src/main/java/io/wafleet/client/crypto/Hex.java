package io.wafleet.client.crypto;

import java.util.HexFormat;

/** Lower-case hex for logs and test vectors. Stateless; thread-safe. */
public final class Hex {

  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return FORMAT.formatHex(bytes);
  }

  /** Accepts upper or lower case and ignores spaces. */
  public static byte[] decode(String hex) {
    return FORMAT.parseHex(hex.replace(" ", "").toLowerCase(java.util.Locale.ROOT));
  }
}
