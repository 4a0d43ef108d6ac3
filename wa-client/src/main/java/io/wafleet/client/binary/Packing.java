package io.wafleet.client.binary;

/** The nibble and hex alphabets of packed strings (§4.6). Stateless; thread-safe. */
final class Packing {

  /** Pads the low half of the last byte of an odd-length string. */
  static final int FILLER = 15;
  /** {@link #unpack} result for a value outside the alphabet. */
  static final char INVALID = '\uFFFF';

  private Packing() {}

  /** Non-empty, at most 127 chars, only {@code 0-9 - .} (§4.5 step 3). */
  static boolean isNibble(String value) {
    return packable(value, true);
  }

  /** Non-empty, at most 127 chars, only {@code 0-9 A-F} (§4.5 step 4). */
  static boolean isHex(String value) {
    return packable(value, false);
  }

  /** The 4-bit value of a character already checked by {@link #isNibble} or {@link #isHex}. */
  static int pack(int tag, char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (tag == WireTags.NIBBLE_8) {
      return c == '-' ? 10 : 11;
    }
    return 10 + c - 'A';
  }

  /** The character for 4-bit {@code value}; the filler 15 of a nibble string is {@code \0}. */
  static char unpack(int tag, int value) {
    if (value < 10) {
      return (char) ('0' + value);
    }
    if (tag == WireTags.HEX_8) {
      return (char) ('A' + value - 10);
    }
    return switch (value) {
      case 10 -> '-';
      case 11 -> '.';
      case FILLER -> '\0';
      default -> INVALID;
    };
  }

  private static boolean packable(String value, boolean nibble) {
    if (value.isEmpty() || value.length() > WireTags.PACKED_MAX) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= '0' && c <= '9')
          || (nibble ? c == '-' || c == '.' : c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
