package io.wafleet.client.binary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds random nodes whose strings survive an encode/decode unchanged: tokens, packed strings,
 * canonical JIDs of every wire form, free text without {@code @}. (Lossy forms, such as device 0 in
 * AD_JID, are covered by explicit tests instead.)
 */
final class RandomNodes {

  private static final String[] SERVERS = {"s.whatsapp.net", "lid", "g.us", "broadcast", "hosted",
      "hosted.lid", "newsletter", "c.us"};
  private static final String TEXT_CHARS = "abcXYZ019-._:/ é漢😀\n\"\\";

  private final Random random;
  private final Tokens tokens = Tokens.standard();

  RandomNodes(long seed) {
    this.random = new Random(seed);
  }

  Node node(int maxDepth) {
    Map<String, String> attrs = new LinkedHashMap<>();
    int attrCount = random.nextInt(5);
    for (int i = 0; i < attrCount; i++) {
      attrs.put(string(), string());
    }
    String tag = nonEmptyString();
    return switch (random.nextInt(maxDepth > 0 ? 3 : 2)) {
      case 0 -> Node.of(tag, attrs);
      case 1 -> Node.of(tag, attrs, bytes());
      default -> Node.of(tag, attrs, children(maxDepth - 1));
    };
  }

  private List<Node> children(int maxDepth) {
    int count = random.nextInt(10) == 0 ? 256 + random.nextInt(50) : random.nextInt(4);
    List<Node> children = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      children.add(count > 8 ? Node.of(nonEmptyString()) : node(maxDepth));
    }
    return children;
  }

  private byte[] bytes() {
    int length = switch (random.nextInt(8)) {
      case 0 -> 0;
      case 1 -> 255 + random.nextInt(3);
      case 2 -> 70_000;
      default -> random.nextInt(64);
    };
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  private String nonEmptyString() {
    String value = string();
    return value.isEmpty() ? "x" : value;
  }

  String string() {
    return switch (random.nextInt(9)) {
      case 0 -> "";
      case 1 -> tokens.single(1 + random.nextInt(235));
      case 2 -> tokens.doubleByte(random.nextInt(4), random.nextInt(256));
      case 3 -> fromAlphabet("0123456789-.", 1 + random.nextInt(127));
      case 4 -> fromAlphabet("0123456789ABCDEF", 1 + random.nextInt(127));
      case 5, 6 -> jid();
      case 7 -> fromAlphabet(TEXT_CHARS, random.nextInt(300));
      default -> new String(fromAlphabet("abcdefgh", random.nextInt(2) == 0 ? 128 : 400)
          .getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    };
  }

  String jid() {
    String user = random.nextInt(8) == 0 ? "" : digits(1 + random.nextInt(18));
    return switch (random.nextInt(5)) {
      case 0 -> user + "@" + SERVERS[random.nextInt(SERVERS.length)];
      case 1 -> user + ":" + (1 + random.nextInt(255)) + "@" + SERVERS[random.nextInt(6)];
      case 2 -> user + ":" + random.nextInt(65536) + "@msgr";
      case 3 -> random.nextInt(65536) + "-" + user + ":" + random.nextInt(65536) + "@interop";
      default -> user + "_" + (1 + random.nextInt(255)) + "@" + SERVERS[random.nextInt(SERVERS.length)];
    };
  }

  private String digits(int length) {
    return fromAlphabet("0123456789", length);
  }

  private String fromAlphabet(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    while (out.length() < length) {
      out.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
          random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
    }
    return out.toString();
  }
}
