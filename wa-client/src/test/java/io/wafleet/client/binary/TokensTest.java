package io.wafleet.client.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.crypto.Hex;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the shipped token table against §4.8. The SHA-256 is taken over the lists re-serialized as
 * JavaScript's {@code JSON.stringify} writes them (compact, same escapes), so changing, adding or
 * moving any token fails the test.
 */
class TokensTest {

  private static final String SINGLE_SHA256 = "5fd87b0938866fa14324bee863c414eedd3b61c34aa2ff024c5d663f21546690";
  private static final String DOUBLE_SHA256 = "0c785ca43e8e316d9458bd214034f8818cc5b1127efbfd98e511f9d180212570";

  private final Tokens tokens = Tokens.standard();

  @Test
  void singleList_compactJson_hasProtocolSha256() throws Exception {
    assertEquals(SINGLE_SHA256, sha256(JsJson.stringify(tokens.singleList())));
  }

  @Test
  void doubleLists_compactJson_haveProtocolSha256() throws Exception {
    assertEquals(DOUBLE_SHA256, sha256(JsJson.stringify(tokens.doubleLists())));
  }

  @Test
  void tagTable_inResource_equalsWireTagsConstants() throws Exception {
    Map<String, Integer> constants = new HashMap<>();
    for (Field field : WireTags.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && !field.getName().startsWith("FLAG_")) {
        constants.put(field.getName(), field.getInt(null));
      }
    }
    assertEquals(tokens.tagTable(), constants);
  }

  @Test
  void lookups_protocolExamples_matchSection48() {
    assertEquals("xmlstreamend", tokens.single(2));
    assertEquals("s.whatsapp.net", tokens.single(3));
    assertEquals("encrypt", tokens.single(203));
    assertEquals("pair-device", tokens.doubleByte(1, 238));
    assertEquals("failure", tokens.doubleByte(2, 60));
    assertEquals(WireTags.DICTIONARY_1 << 8 | 80, tokens.code("ref"));
    assertEquals(157, tokens.code("stream:error"));
    assertEquals(Tokens.NOT_A_TOKEN, tokens.code("hello world"));
  }

  @Test
  void lookups_outOfRange_returnNull() {
    assertNull(tokens.single(0));
    assertNull(tokens.single(236));
    assertNull(tokens.doubleByte(4, 0));
    assertNull(tokens.doubleByte(0, 256));
  }

  @Test
  void encode_doubleByteToken_writesDictionaryAndIndex() {
    Node node = Node.of("pair-device");
    assertEquals("00f801edee", Hex.encode(NodeEncoder.encode(node)));
    assertEquals(node, NodeDecoder.decode(NodeEncoder.encode(node)));
  }

  @Test
  void fromResource_standardTable_equalsStandard_missingResourceFailsWithName() {
    Tokens again = Tokens.fromResource(Tokens.class, Tokens.RESOURCE);
    assertEquals(tokens.singleList(), again.singleList());
    assertEquals(tokens.doubleLists(), again.doubleLists());

    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> Tokens.fromResource(Tokens.class, "no-such-tokens.txt"));
    assertTrue(missing.getMessage().contains("no-such-tokens.txt"), missing.getMessage());
  }

  @Test
  void encodeDecode_withAnotherTable_useThatTablesIndexes() {
    StringBuilder text = new StringBuilder("= tags\nLIST_EMPTY 0\n= single\n");
    List<String> single = tokens.singleList();
    for (int i = single.size() - 1; i >= 1; i--) {
      text.append(single.get(i)).append('\n');
    }
    List<List<String>> doubles = tokens.doubleLists();
    for (int dict = 0; dict < doubles.size(); dict++) {
      text.append("= double ").append(dict).append('\n');
      doubles.get(dict).forEach(token -> text.append(token).append('\n'));
    }
    Tokens reversed = Tokens.parse(text.toString());
    Node node = Node.of("iq", Node.attrsOf("type", "get"));

    byte[] bytes = NodeEncoder.encode(node, reversed);

    assertEquals("00f803" + Hex.encode(new byte[] {(byte) (236 - 25), (byte) (236 - 4)})
        + Hex.encode(new byte[] {(byte) (236 - 41)}), Hex.encode(bytes));
    assertEquals(node, NodeDecoder.decode(bytes, reversed));
    assertEquals("iq", NodeDecoder.decode(NodeEncoder.encode(node)).tag());
  }

  @Test
  void parse_missingOrShortSection_failsWithReason() {
    IllegalArgumentException noSections = assertThrows(IllegalArgumentException.class,
        () -> Tokens.parse("# nothing\n"));
    assertTrue(noSections.getMessage().contains("tags"), noSections.getMessage());
    IllegalArgumentException orphan = assertThrows(IllegalArgumentException.class,
        () -> Tokens.parse("xmlstreamstart\n"));
    assertTrue(orphan.getMessage().contains("before a section"), orphan.getMessage());
    IllegalArgumentException badTag = assertThrows(IllegalArgumentException.class,
        () -> Tokens.parse("= tags\nLIST_EMPTY zero\n"));
    assertTrue(badTag.getMessage().contains("bad tag line"), badTag.getMessage());
  }

  private static String sha256(String text) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** JSON.stringify of nested lists of strings, escaping as ECMAScript's QuoteJSONString does. */
  static final class JsJson {
    static String stringify(List<?> list) {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        Object item = list.get(i);
        out.append(item instanceof List<?> inner ? stringify(inner) : quote((String) item));
      }
      return out.append(']').toString();
    }

    private static String quote(String s) {
      StringBuilder out = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
      }
      return out.append('"').toString();
    }
  }
}
