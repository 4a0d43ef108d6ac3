package io.wafleet.client.binary;

import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns frame plaintext (§4.2) into a {@link Node}: reads the flags byte, inflates a zlib body when
 * bit {@code 0x02} is set, then reads exactly one node, accepting every form of §4.4–§4.7. Bytes come
 * from the network, so every failure, whatever the input, is a {@link MalformedNodeException}:
 * lengths are checked against the buffer, nesting is capped at {@link #MAX_DEPTH}, inflation at
 * {@link #MAX_INFLATED_SIZE}. Stateless; thread-safe.
 */
public final class NodeDecoder {

  /** Deepest nesting accepted: nodes inside nodes, and JIDs inside JID parts. */
  public static final int MAX_DEPTH = 64;
  /** Largest inflated body accepted; a bigger one is treated as a zip bomb. */
  public static final int MAX_INFLATED_SIZE = 8 * 1024 * 1024;

  private static final int INFLATE_CHUNK = 16 * 1024;

  private NodeDecoder() {}

  /**
   * Decodes one frame's plaintext, flags byte first.
   *
   * @throws MalformedNodeException if the bytes are not exactly one valid node
   */
  public static Node decode(byte[] framePlaintext) {
    return decode(framePlaintext, Tokens.standard());
  }

  /**
   * Decodes one frame's plaintext with the token table {@code tokens} (another dictionary version
   * than {@link Tokens#standard()}, §4.8).
   *
   * @throws MalformedNodeException if the bytes are not exactly one valid node
   */
  public static Node decode(byte[] framePlaintext, Tokens tokens) {
    Objects.requireNonNull(tokens, "tokens == null");
    if (framePlaintext == null || framePlaintext.length == 0) {
      throw new MalformedNodeException("empty frame: no flags byte");
    }
    boolean compressed = (framePlaintext[0] & WireTags.FLAG_COMPRESSED) != 0;
    WireReader reader = compressed
        ? new WireReader(inflate(framePlaintext, 1), 0, tokens)
        : new WireReader(framePlaintext, 1, tokens);
    try {
      return reader.readFrameNode();
    } catch (StackOverflowError e) {
      // Unreachable with MAX_DEPTH; kept so that no Error escapes on a tiny thread stack.
      throw new MalformedNodeException("nesting too deep for the thread stack");
    }
  }

  /** RFC 1950 zlib (with header), §4.2. */
  static byte[] inflate(byte[] data, int offset) {
    Inflater inflater = new Inflater(false);
    try {
      inflater.setInput(data, offset, data.length - offset);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(INFLATE_CHUNK, MAX_INFLATED_SIZE));
      byte[] chunk = new byte[INFLATE_CHUNK];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new MalformedNodeException("truncated or dictionary-bound zlib body");
        }
        if (out.size() + n > MAX_INFLATED_SIZE) {
          throw new MalformedNodeException("inflated body exceeds " + MAX_INFLATED_SIZE + " bytes");
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new MalformedNodeException("corrupt zlib body: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
