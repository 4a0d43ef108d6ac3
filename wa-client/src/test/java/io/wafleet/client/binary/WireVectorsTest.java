package io.wafleet.client.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wafleet.client.crypto.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The §4.9 vectors (Baileys rc.9 output): each must encode byte for byte and decode back. */
class WireVectorsTest {

  private static final String PING_HEX = "00 f8 0a 19 08 55 11 fa 00 03 04 29 16 57 f8 01 f8 01 56";

  @Test
  void encode_iqPing_matchesBaileys() {
    Node iq = Node.of("iq", attrs("id", "1", "to", "@s.whatsapp.net", "type", "get", "xmlns", "w:p"),
        List.of(Node.of("ping")));
    assertVector(PING_HEX, iq);
  }

  @Test
  void encode_streamError515_usesNibblePacking() {
    assertVector("00 f8 03 9d 70 ff 82 51 5f", Node.of("stream:error", attrs("code", "515")));
  }

  @Test
  void encode_deviceJid_usesAdJid() {
    assertVector("00 f8 03 11 0c f7 00 01 ff 86 15 55 00 02 22 2f",
        Node.of("to", attrs("jid", "15550002222:1@s.whatsapp.net")));
  }

  @Test
  void encode_lidDeviceJid_usesAdJidDomainOne() {
    assertVector("00 f8 05 4c 1a ff 05 17 00 00 00 00 76 f7 01 01 ff 88 10 00 00 00 00 00 00 1f",
        Node.of("success", attrs("t", "1700000000", "lid", "100000000000001:1@lid")));
  }

  @Test
  void encode_upperHexId_usesHexPacking() {
    assertVector("00 f8 03 07 08 fb 05 3e b0 ab cd ef", Node.of("receipt", attrs("id", "3EB0ABCDEF")));
  }

  @Test
  void encode_byteContent_usesBinary8() {
    assertVector("00 f8 02 6c fc 03 01 02 03", Node.of("value", Map.of(), new byte[] {1, 2, 3}));
  }

  @Test
  void encode_groupJid_usesJidPair() {
    assertVector("00 f8 03 13 11 fa ff 09 12 03 63 00 00 00 00 00 00 1c",
        Node.of("message", attrs("to", "120363000000000000@g.us")));
  }

  @Test
  void encode_plainText_usesRawBinary8() {
    assertVector("00 f8 03 fc 01 78 fc 01 61 fc 0b 68 65 6c 6c 6f 20 77 6f 72 6c 64",
        Node.of("x", attrs("a", "hello world")));
  }

  @Test
  void decode_iqPing_exposesAttrsAndChild() {
    Node iq = NodeDecoder.decode(Hex.decode(PING_HEX));
    assertEquals("@s.whatsapp.net", iq.attr("to"));
    assertEquals(List.of("id", "to", "type", "xmlns"), List.copyOf(iq.attrs().keySet()));
    assertEquals("ping", iq.children().get(0).tag());
    assertEquals(null, iq.child("ping").content());
  }

  @Test
  void decode_stringContent_becomesUtf8Bytes() {
    // <result>515</result> with the content nibble-packed: string content comes back as UTF-8 bytes.
    Node node = NodeDecoder.decode(Hex.decode("00 f8 02 fc 06 72 65 73 75 6c 74 ff 82 51 5f"));
    assertEquals("515", new String(node.bytes(), StandardCharsets.UTF_8));
  }

  private static void assertVector(String hex, Node node) {
    assertEquals(hex.replace(" ", ""), Hex.encode(NodeEncoder.encode(node)));
    assertEquals(node, NodeDecoder.decode(Hex.decode(hex)));
  }

  static Map<String, String> attrs(String... namesAndValues) {
    return Node.attrsOf(namesAndValues);
  }
}
