package io.wafleet.client.internal;

import io.wafleet.client.binary.Node;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wire constants of the connection layer and small stanza helpers (docs/protocol.md
 * §0, §3, §6, §7). Stateless.
 */
public final class WireProtocol {

  public static final String DEFAULT_URI = "wss://web.whatsapp.com/ws/chat";
  public static final String ORIGIN = "https://web.whatsapp.com";
  /** The server address {@code @s.whatsapp.net} (§5): a JID pair with an empty user. */
  public static final String SERVER = "@s.whatsapp.net";
  static final int[] VERSION = {2, 3000, 1027934701};
  static final String BROWSER_OS = "Mac OS";
  static final String BROWSER_NAME = "Chrome";
  /** ADV signature prefixes (§0). */
  static final byte[] ADV_ACCOUNT_PREFIX = {6, 0};
  static final byte[] ADV_DEVICE_PREFIX = {6, 1};
  static final byte[] ADV_HOSTED_ACCOUNT_PREFIX = {6, 5};
  public static final byte KEY_BUNDLE_TYPE = 5;

  private WireProtocol() {
  }

  /** MD5 of "2.3000.1027934701" (§3.2 buildHash). */
  static byte[] buildHash() {
    String version = VERSION[0] + "." + VERSION[1] + "." + VERSION[2];
    try {
      return MessageDigest.getInstance("MD5").digest(version.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }

  /** {@code value} as {@code length} big-endian bytes. */
  public static byte[] bigEndian(int value, int length) {
    byte[] out = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  public static int fromBigEndian(byte[] bytes) {
    int value = 0;
    for (byte b : bytes) {
      value = value << 8 | (b & 0xFF);
    }
    return value;
  }

  /** The same node with an {@code id} attribute first. */
  static Node withId(Node node, String id) {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("id", id);
    node.attrs().forEach((k, v) -> {
      if (!k.equals("id")) {
        attrs.put(k, v);
      }
    });
    return new Node(node.tag(), attrs, node.content());
  }

  /** {@code <iq to=@s.whatsapp.net type=result id=ID/>}, the answer to a server iq. */
  static Node resultFor(Node iq) {
    return Node.of("iq", Node.attrsOf("to", SERVER, "type", "result", "id", iq.attrOr("id", "")));
  }

  /** The first child's tag, or "". */
  static String firstChildTag(Node node) {
    return node.children().isEmpty() ? "" : node.children().get(0).tag();
  }
}
