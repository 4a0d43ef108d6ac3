package io.wafleet.client.binary;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a {@link Node} into frame plaintext (§4.2–§4.7): the flags byte {@code 00} (never compressed,
 * like Baileys) followed by the node. Strings are written in §4.5's order of preference: token,
 * nibble-packed, hex-packed, JID, raw UTF-8; byte content as BINARY_8/20/32. The output of the §4.9
 * vectors is byte-identical to Baileys'. Stateless; thread-safe.
 */
public final class NodeEncoder {

  /** Deepest child nesting written; matches what {@link NodeDecoder} accepts. */
  public static final int MAX_DEPTH = NodeDecoder.MAX_DEPTH;
  /** LIST_16 holds at most this many entries (children, or 1 + 2·attrs + content). */
  public static final int MAX_LIST_SIZE = 0xFFFF;

  private static final int INITIAL_CAPACITY = 256;

  private final Tokens tokens;
  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int size;

  private NodeEncoder(Tokens tokens) {
    this.tokens = tokens;
  }

  /**
   * Encodes {@code node} with the flags byte {@code 00} in front.
   *
   * @throws IllegalArgumentException if a list would exceed {@link #MAX_LIST_SIZE} entries or the
   *     nesting exceeds {@link #MAX_DEPTH}
   */
  public static byte[] encode(Node node) {
    return encode(node, Tokens.standard());
  }

  /**
   * Encodes {@code node} with the token table {@code tokens} (another dictionary version than
   * {@link Tokens#standard()}, §4.8); otherwise as {@link #encode(Node)}.
   */
  public static byte[] encode(Node node, Tokens tokens) {
    NodeEncoder encoder = new NodeEncoder(Objects.requireNonNull(tokens, "tokens == null"));
    encoder.writeByte(0);
    encoder.writeNode(node, 1);
    return Arrays.copyOf(encoder.buffer, encoder.size);
  }

  private void writeNode(Node node, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("nesting deeper than " + MAX_DEPTH + " at <" + node.tag() + ">");
    }
    Map<String, String> attrs = node.attrs();
    Object content = node.content();
    long listSize = 1L + 2L * attrs.size() + (content == null ? 0 : 1);
    writeListStart(listSize, node.tag());
    writeString(node.tag());
    attrs.forEach((key, value) -> {
      writeString(key);
      writeString(value);
    });
    if (content instanceof byte[] bytes) {
      writeBytes(bytes);
    } else if (content instanceof List<?> list) {
      List<Node> children = node.children();
      writeListStart(list.size(), node.tag());
      for (Node child : children) {
        writeNode(child, depth + 1);
      }
    }
  }

  private void writeListStart(long listSize, String tag) {
    if (listSize > MAX_LIST_SIZE) {
      throw new IllegalArgumentException("list of " + listSize + " entries in <" + tag + "> exceeds "
          + MAX_LIST_SIZE);
    }
    if (listSize == 0) {
      writeByte(WireTags.LIST_EMPTY);
    } else if (listSize < 256) {
      writeByte(WireTags.LIST_8);
      writeByte((int) listSize);
    } else {
      writeByte(WireTags.LIST_16);
      writeByte((int) (listSize >> 8));
      writeByte((int) listSize);
    }
  }

  /** §4.5 order of preference. */
  void writeString(String value) {
    if (value.isEmpty()) {
      writeByte(WireTags.LIST_EMPTY);
      return;
    }
    int code = tokens.code(value);
    if (code != Tokens.NOT_A_TOKEN) {
      if (code > 0xFF) {
        writeByte(code >> 8);
      }
      writeByte(code & 0xFF);
    } else if (Packing.isNibble(value)) {
      writePacked(WireTags.NIBBLE_8, value);
    } else if (Packing.isHex(value)) {
      writePacked(WireTags.HEX_8, value);
    } else if (value.indexOf('@') < 0 || !JidWriter.write(this, value)) {
      writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** §4.6: tag, (odd flag | byte count), two characters per byte, high nibble first, filler 15. */
  private void writePacked(int tag, String value) {
    int length = value.length();
    int packedBytes = (length + 1) / 2;
    writeByte(tag);
    writeByte(packedBytes | (length % 2 == 1 ? 0x80 : 0));
    for (int i = 0; i < packedBytes; i++) {
      int high = Packing.pack(tag, value.charAt(2 * i));
      int low = 2 * i + 1 < length ? Packing.pack(tag, value.charAt(2 * i + 1)) : Packing.FILLER;
      writeByte(high << 4 | low);
    }
  }

  /** BINARY_8 under 256 bytes, BINARY_20 under 2^20, else BINARY_32 (§4.5). */
  private void writeBytes(byte[] bytes) {
    int length = bytes.length;
    if (length < 256) {
      writeByte(WireTags.BINARY_8);
      writeByte(length);
    } else if (length < 1 << 20) {
      writeByte(WireTags.BINARY_20);
      writeByte(length >> 16 & 0x0F);
      writeByte(length >> 8);
      writeByte(length);
    } else {
      writeByte(WireTags.BINARY_32);
      writeUint16(length >>> 16);
      writeUint16(length);
    }
    ensure(length);
    System.arraycopy(bytes, 0, buffer, size, length);
    size += length;
  }

  void writeUint16(int value) {
    writeByte(value >> 8);
    writeByte(value);
  }

  void writeByte(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  private void ensure(int extra) {
    if (buffer.length - size < extra) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }
}
