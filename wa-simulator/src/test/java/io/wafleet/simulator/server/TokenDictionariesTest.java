package io.wafleet.simulator.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.binary.MalformedNodeException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.binary.NodeDecoder;
import io.wafleet.client.binary.NodeEncoder;
import io.wafleet.client.binary.Tokens;
import io.wafleet.client.binary.WireTags;
import io.wafleet.client.crypto.Hex;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dictionaries a connection can choose from (§1.2, §4.8): version 2 is Baileys 6.17.16's table
 * as shipped (digests of its lists as {@code JSON.stringify} writes them, as docs/protocol.md §4.8
 * gives them), version 3 is wa-client's, and nothing else is served.
 */
class TokenDictionariesTest {

  private static final String V2_SINGLE_SHA256 =
      "a5b46aee75b59cb2295e4834bca701d00bf7aca3ac5d32b1e8a5448e670c503f";
  private static final String V2_DOUBLE_SHA256 =
      "5ccce6666e76669db63c8c1c9ef59810a7f2710525d812a7fd2436440c51e224";

  private final TokenDictionaries served = TokenDictionaries.served();

  @Test
  void versions_areTwoAndThree_eachWithItsIntroHeader() {
    assertEquals(Set.of(2, 3), served.versions());
    assertArrayEquals(Hex.decode("57410602"), served.forVersion(2).orElseThrow().introHeader());
    assertArrayEquals(Hex.decode("57410603"), served.forVersion(3).orElseThrow().introHeader());
  }

  @Test
  void forVersion_unknownVersions_areEmpty() {
    for (int version : List.of(0, 1, 4, 7, 255, -1)) {
      assertTrue(served.forVersion(version).isEmpty(), "version " + version);
    }
  }

  @Test
  void version3_isWaClientsStandardTable() {
    assertSame(Tokens.standard(), served.forVersion(3).orElseThrow().tokens());
  }

  @Test
  void version2_isBaileys6TableAsShipped() throws Exception {
    Tokens v2 = served.forVersion(2).orElseThrow().tokens();

    assertEquals(V2_SINGLE_SHA256, sha256(stringify(v2.singleList())));
    assertEquals(V2_DOUBLE_SHA256, sha256(stringify(v2.doubleLists())));
    assertEquals("broadcast", v2.single(9));
    assertEquals("iq", v2.single(30));
    assertEquals("skey", v2.doubleByte(0, 81));
  }

  @Test
  void version2_tagsItShares_areTheWireTagsWeWrite() throws Exception {
    Map<String, Integer> v2Tags = served.forVersion(2).orElseThrow().tokens().tagTable();
    int shared = 0;
    for (Field field : WireTags.class.getFields()) {
      Integer v2 = v2Tags.get(field.getName());
      if (v2 != null) {
        assertEquals(field.getInt(null), v2, field.getName());
        shared++;
      }
    }
    assertEquals(15, shared, "every tag but INTEROP_JID and FB_JID, which v2 lacks: " + v2Tags);
  }

  @Test
  void sameNode_encodesDifferentlyPerVersion_andDecodesWithItsOwnTable() {
    Tokens v2 = served.forVersion(2).orElseThrow().tokens();
    Tokens v3 = served.forVersion(3).orElseThrow().tokens();
    Node ping = Node.of("iq", Node.attrsOf("id", "1", "to", "@s.whatsapp.net", "type", "get",
        "xmlns", "w:p"), List.of(Node.of("ping")));

    byte[] inV2 = NodeEncoder.encode(ping, v2);
    byte[] inV3 = NodeEncoder.encode(ping, v3);

    assertEquals("1e", Hex.encode(new byte[] {inV2[3]}), "iq is single-byte token 30 in v2");
    assertNotEquals(Hex.encode(inV2), Hex.encode(inV3));
    assertEquals(ping, NodeDecoder.decode(inV2, v2));
    assertEquals(ping, NodeDecoder.decode(inV3, v3));
    assertNotEquals(ping, decodeOrNull(inV2, v3), "a v2 frame read with v3 is another node");
  }

  private static Node decodeOrNull(byte[] bytes, Tokens tokens) {
    try {
      return NodeDecoder.decode(bytes, tokens);
    } catch (MalformedNodeException e) {
      return null;
    }
  }

  private static String sha256(String text) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** JSON.stringify of nested lists of plain ASCII tokens (none needs escaping; checked). */
  private static String stringify(List<?> list) {
    return list.stream().map(item -> item instanceof List<?> inner ? stringify(inner) : quote(item))
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static String quote(Object token) {
    String text = (String) token;
    assertTrue(text.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '"' && c != '\\'), text);
    return '"' + text + '"';
  }
}
