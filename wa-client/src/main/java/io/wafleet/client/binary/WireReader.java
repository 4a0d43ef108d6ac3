package io.wafleet.client.binary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one node from an uncompressed body (§4.3–§4.7), checking every length against the buffer.
 * Follows Baileys' decode.js: attribute keys and values are any string form; content is a child
 * list, BINARY_* bytes, or any other string form (returned as UTF-8 bytes). Duplicate attribute keys
 * keep the last value, as in Baileys. Not thread-safe; one per body.
 */
final class WireReader {

  private final byte[] data;
  private final Tokens tokens;
  private int pos;

  /** Reads {@code data} from {@code start} to its end. */
  WireReader(byte[] data, int start, Tokens tokens) {
    this.data = data;
    this.pos = start;
    this.tokens = tokens;
  }

  /** Reads a node that must span the whole body. */
  Node readFrameNode() {
    Node node = readNode(1);
    if (pos != data.length) {
      throw malformed((data.length - pos) + " bytes left after the node");
    }
    return node;
  }

  private Node readNode(int depth) {
    checkDepth(depth);
    int listSize = readListSize(readByte());
    String tag = readString(readByte(), depth);
    if (listSize == 0 || tag.isEmpty()) {
      throw malformed("node with list size 0 or an empty tag");
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    for (int i = 0; i < (listSize - 1) / 2; i++) {
      String key = readString(readByte(), depth);
      attrs.put(key, readString(readByte(), depth));
    }
    Object content = listSize % 2 == 0 ? readContent(depth) : null;
    return new Node(tag, attrs, content);
  }

  private Object readContent(int depth) {
    int tag = readByte();
    switch (tag) {
      case WireTags.LIST_EMPTY, WireTags.LIST_8, WireTags.LIST_16:
        return readChildren(readListSize(tag), depth);
      case WireTags.BINARY_8, WireTags.BINARY_20, WireTags.BINARY_32:
        return readRaw(readBinaryLength(tag));
      default:
        return readString(tag, depth).getBytes(StandardCharsets.UTF_8);
    }
  }

  private List<Node> readChildren(int count, int depth) {
    // Each child takes at least 3 bytes, so a lying count cannot make us allocate much.
    List<Node> children = new ArrayList<>(Math.min(count, remaining()));
    for (int i = 0; i < count; i++) {
      children.add(readNode(depth + 1));
    }
    return children;
  }

  private int readListSize(int tag) {
    return switch (tag) {
      case WireTags.LIST_EMPTY -> 0;
      case WireTags.LIST_8 -> readByte();
      case WireTags.LIST_16 -> readUint(2);
      default -> throw malformed("expected a list tag, got " + tag);
    };
  }

  /** Any string form (§4.5); JID parts recurse, so they count towards the depth cap. */
  String readString(int tag, int depth) {
    switch (tag) {
      case WireTags.LIST_EMPTY:
        return "";
      case WireTags.DICTIONARY_0, WireTags.DICTIONARY_1, WireTags.DICTIONARY_2, WireTags.DICTIONARY_3:
        return doubleToken(tag - WireTags.DICTIONARY_0, readByte());
      case WireTags.BINARY_8, WireTags.BINARY_20, WireTags.BINARY_32:
        return new String(readRaw(readBinaryLength(tag)), StandardCharsets.UTF_8);
      case WireTags.NIBBLE_8, WireTags.HEX_8:
        return readPacked(tag);
      case WireTags.JID_PAIR, WireTags.AD_JID, WireTags.FB_JID, WireTags.INTEROP_JID:
        checkDepth(depth + 1);
        return JidReader.read(this, tag, depth + 1);
      default:
        String token = tokens.single(tag);
        if (token == null) {
          throw malformed("unknown tag byte " + tag + " at offset " + (pos - 1));
        }
        return token;
    }
  }

  private String doubleToken(int dict, int index) {
    String token = tokens.doubleByte(dict, index);
    if (token == null) {
      throw malformed("double-byte token " + dict + "/" + index + " out of range");
    }
    return token;
  }

  /** §4.6: odd flag in bit 7, byte count in bits 0..6, the last character dropped when odd. */
  private String readPacked(int tag) {
    int start = readByte();
    int count = start & 0x7F;
    boolean odd = (start & 0x80) != 0;
    if (odd && count == 0) {
      throw malformed("packed string with odd flag and no bytes");
    }
    checkAvailable(count);
    char[] chars = new char[count * 2];
    for (int i = 0; i < count; i++) {
      int b = data[pos++] & 0xFF;
      chars[2 * i] = unpack(tag, b >> 4);
      chars[2 * i + 1] = unpack(tag, b & 0x0F);
    }
    return new String(chars, 0, odd ? chars.length - 1 : chars.length);
  }

  private char unpack(int tag, int value) {
    char c = Packing.unpack(tag, value);
    if (c == Packing.INVALID) {
      throw malformed("invalid nibble " + value);
    }
    return c;
  }

  private int readBinaryLength(int tag) {
    long length = switch (tag) {
      case WireTags.BINARY_8 -> readByte();
      case WireTags.BINARY_20 -> ((long) readByte() & 0x0F) << 16 | readUint(2);
      default -> ((long) readUint(2)) << 16 | readUint(2);
    };
    if (length > remaining()) {
      throw malformed("length " + length + " exceeds the " + remaining() + " bytes left");
    }
    return (int) length;
  }

  byte[] readRaw(int length) {
    checkAvailable(length);
    byte[] out = Arrays.copyOfRange(data, pos, pos + length);
    pos += length;
    return out;
  }

  int readByte() {
    checkAvailable(1);
    return data[pos++] & 0xFF;
  }

  /** Big-endian unsigned integer of 1 or 2 bytes. */
  int readUint(int bytes) {
    checkAvailable(bytes);
    int value = 0;
    for (int i = 0; i < bytes; i++) {
      value = value << 8 | (data[pos++] & 0xFF);
    }
    return value;
  }

  private int remaining() {
    return data.length - pos;
  }

  private void checkAvailable(int length) {
    if (length < 0 || length > remaining()) {
      throw malformed("truncated: need " + length + " bytes at offset " + pos + ", have " + remaining());
    }
  }

  private static void checkDepth(int depth) {
    if (depth > NodeDecoder.MAX_DEPTH) {
      throw malformed("nesting deeper than " + NodeDecoder.MAX_DEPTH);
    }
  }

  static MalformedNodeException malformed(String message) {
    return new MalformedNodeException(message);
  }
}
