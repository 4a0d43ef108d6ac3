package io.wafleet.client.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.client.crypto.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Random nodes encoded by Baileys rc.9 itself (baileys-golden.tsv, written by
 * wa-client/scripts/baileys-golden.mjs): our encoder must produce the same bytes, our decoder the
 * same node. Covers tokens of all dictionaries, packed strings, AD_JID and JID_PAIR, raw and
 * BINARY_20 strings and content, and nesting, beyond the eight §4.9 vectors.
 */
class BaileysGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void encode_baileysGoldenNodes_matchBaileysBytes() throws IOException {
    List<String[]> cases = cases();
    assertTrue(cases.size() >= 100, "golden file has " + cases.size() + " cases");
    for (String[] golden : cases) {
      Node node = toNode(JSON.readValue(golden[1], Object.class));
      assertEquals(golden[0], Hex.encode(NodeEncoder.encode(node)), golden[1]);
    }
  }

  @Test
  void decode_baileysGoldenBytes_giveTheOriginalNodes() throws IOException {
    for (String[] golden : cases()) {
      assertEquals(toNode(JSON.readValue(golden[1], Object.class)), NodeDecoder.decode(Hex.decode(golden[0])), golden[1]);
    }
  }

  private static List<String[]> cases() throws IOException {
    try (InputStream in = BaileysGoldenTest.class.getResourceAsStream("baileys-golden.tsv")) {
      List<String[]> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          out.add(line.split("\t", 2));
        }
      }
      return out;
    }
  }

  @SuppressWarnings("unchecked")
  private static Node toNode(Object json) {
    Map<String, Object> map = (Map<String, Object>) json;
    Map<String, String> attrs = new LinkedHashMap<>();
    ((Map<String, Object>) map.get("attrs")).forEach((key, value) -> attrs.put(key, (String) value));
    String tag = (String) map.get("tag");
    if (map.containsKey("bytes")) {
      return Node.of(tag, attrs, Hex.decode((String) map.get("bytes")));
    }
    if (map.containsKey("children")) {
      List<Node> children = new ArrayList<>();
      for (Object child : (List<Object>) map.get("children")) {
        children.add(toNode(child));
      }
      return Node.of(tag, attrs, children);
    }
    return Node.of(tag, attrs);
  }
}
