package io.wafleet.client.binary;

/**
 * Tag bytes of the binary node codec, docs/protocol.md §4.4 ({@code TAGS} in Baileys'
 * lib/WABinary/constants.js). Bytes 1..235 are single-byte tokens (§4.8); 240..244 are unused and
 * invalid. The resource wa-tokens.txt carries the same table, and a unit test checks they agree.
 * Constants only; thread-safe.
 */
public final class WireTags {

  /** List of size 0; as a string, {@code ""} (or null). Also single-byte token 0. */
  public static final int LIST_EMPTY = 0;
  /** Next byte indexes double-byte dictionary 0..3. */
  public static final int DICTIONARY_0 = 236;
  public static final int DICTIONARY_1 = 237;
  public static final int DICTIONARY_2 = 238;
  public static final int DICTIONARY_3 = 239;
  /** Interop JID: user string, uint16 device, uint16 integrator, server string ({@code interop}). */
  public static final int INTEROP_JID = 245;
  /** Messenger JID: user string, uint16 device, server string ({@code msgr}). */
  public static final int FB_JID = 246;
  /** Device JID: domainType byte, device byte, user string (§4.7). */
  public static final int AD_JID = 247;
  /** List with a 1-byte size. */
  public static final int LIST_8 = 248;
  /** List with a 2-byte big-endian size. */
  public static final int LIST_16 = 249;
  /** User string (or LIST_EMPTY), then server string (§4.7). */
  public static final int JID_PAIR = 250;
  /** Packed upper-case hex string (§4.6). */
  public static final int HEX_8 = 251;
  /** 1-byte length, then bytes. */
  public static final int BINARY_8 = 252;
  /** 3-byte length of which the top 4 bits are ignored (20 bits), then bytes. */
  public static final int BINARY_20 = 253;
  /** 4-byte big-endian length, then bytes. */
  public static final int BINARY_32 = 254;
  /** Packed nibble string: digits, {@code -}, {@code .} (§4.6). */
  public static final int NIBBLE_8 = 255;
  /** Longest string that may be packed as NIBBLE_8 or HEX_8. */
  public static final int PACKED_MAX = 127;

  /** First byte of a frame plaintext: bit 1 set means the rest is zlib-compressed (§4.2). */
  public static final int FLAG_COMPRESSED = 0x02;

  private WireTags() {}
}
