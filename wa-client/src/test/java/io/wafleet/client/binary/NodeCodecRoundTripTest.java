package io.wafleet.client.binary;

import static io.wafleet.client.binary.WireVectorsTest.attrs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wafleet.client.crypto.Hex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCodecRoundTripTest {

  @Test
  void roundTrip_randomNodes_decodeEqualToOriginal() {
    RandomNodes random = new RandomNodes(20261123L);
    for (int i = 0; i < 2_000; i++) {
      Node node = random.node(4);
      assertEquals(node, NodeDecoder.decode(NodeEncoder.encode(node)), "iteration " + i);
    }
  }

  @Test
  void roundTrip_randomJidAttributes_decodeEqualToOriginal() {
    RandomNodes random = new RandomNodes(7L);
    for (int i = 0; i < 5_000; i++) {
      Node node = Node.of("to", attrs("jid", random.jid()));
      assertEquals(node, NodeDecoder.decode(NodeEncoder.encode(node)));
    }
  }

  @Test
  void encode_deviceZero_usesAdJidAndDecodesWithoutDevice() {
    byte[] wire = NodeEncoder.encode(Node.of("to", attrs("jid", "15550002222:0@s.whatsapp.net")));
    assertEquals("00f803110cf70000ff861555000222 2f".replace(" ", ""), Hex.encode(wire));
    assertEquals("15550002222@s.whatsapp.net", NodeDecoder.decode(wire).attr("jid"));
  }

  @Test
  void encode_serverAddress_isJidPairWithEmptyUser() {
    byte[] wire = NodeEncoder.encode(Node.of("iq", attrs("to", "@s.whatsapp.net")));
    assertEquals("00f80319 11 fa0003".replace(" ", ""), Hex.encode(wire));
  }

  @Test
  void encode_bareServerToken_decodesWithoutAt() {
    Node node = NodeDecoder.decode(NodeEncoder.encode(Node.of("iq", attrs("to", "s.whatsapp.net"))));
    assertEquals("s.whatsapp.net", node.attr("to"));
  }

  @Test
  void encode_messengerAndInteropJids_useFbAndInteropTags() {
    byte[] fb = NodeEncoder.encode(Node.of("to", attrs("jid", "5:3@msgr")));
    assertEquals(WireTags.FB_JID, fb[5] & 0xFF);
    byte[] interop = NodeEncoder.encode(Node.of("to", attrs("jid", "7-5:3@interop")));
    assertEquals(WireTags.INTEROP_JID, interop[5] & 0xFF);
    assertEquals("7-5:3@interop", NodeDecoder.decode(interop).attr("jid"));
  }

  @Test
  void encode_malformedJidText_isWrittenRaw() {
    for (String text : List.of("a@b@c", "user@", "x:y@s.whatsapp.net")) {
      byte[] wire = NodeEncoder.encode(Node.of("x", attrs("a", text)));
      assertEquals(WireTags.BINARY_8, wire[9] & 0xFF, text);
      assertEquals(text, NodeDecoder.decode(wire).attr("a"));
    }
  }

  @Test
  void encode_emptyChildList_isListEmptyAndDecodesAsEmptyList() {
    Node node = Node.of("list", Map.of(), List.of());
    byte[] wire = NodeEncoder.encode(node);
    assertEquals("00f8027100", Hex.encode(wire));
    assertEquals(node, NodeDecoder.decode(wire));
  }

  @Test
  void encode_largeContent_usesBinary20AndBinary32() {
    Node medium = Node.of("v", Map.of(), new byte[300]);
    byte[] mediumWire = NodeEncoder.encode(medium);
    assertEquals("00f80251fd00012c", Hex.encode(mediumWire).substring(0, 16));
    assertEquals(medium, NodeDecoder.decode(mediumWire));
    Node large = Node.of("v", Map.of(), new byte[1 << 20]);
    byte[] largeWire = NodeEncoder.encode(large);
    assertEquals("00f80251fe00100000", Hex.encode(largeWire).substring(0, 18));
    assertEquals(large, NodeDecoder.decode(largeWire));
  }

  @Test
  void encode_manyChildren_usesList16() {
    Node node = Node.of("list", Map.of(), Collections.nCopies(812, Node.of("key")));
    byte[] wire = NodeEncoder.encode(node);
    assertEquals("00f80271f9032c", Hex.encode(wire).substring(0, 14));
    assertEquals(node, NodeDecoder.decode(wire));
  }

  @Test
  void encode_tooManyChildren_throwsIllegalArgument() {
    Node node = Node.of("list", Map.of(), Collections.nCopies(65_536, Node.of("a")));
    assertThrows(IllegalArgumentException.class, () -> NodeEncoder.encode(node));
    Node max = Node.of("list", Map.of(), Collections.nCopies(65_535, Node.of("a")));
    assertEquals(max, NodeDecoder.decode(NodeEncoder.encode(max)));
  }

  @Test
  void encode_tooManyAttributes_throwsIllegalArgument() {
    Map<String, String> most = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 32_767; i++) {
      most.put("k" + i, "v");
    }
    Node max = Node.of("x", most);
    assertEquals(max, NodeDecoder.decode(NodeEncoder.encode(max)));
    most.put("one-more", "v");
    assertThrows(IllegalArgumentException.class, () -> NodeEncoder.encode(Node.of("x", most)));
  }

  @Test
  void encode_nestingBeyondCap_throwsIllegalArgument() {
    assertEquals(nested(NodeEncoder.MAX_DEPTH), NodeDecoder.decode(NodeEncoder.encode(nested(NodeEncoder.MAX_DEPTH))));
    assertThrows(IllegalArgumentException.class, () -> NodeEncoder.encode(nested(NodeEncoder.MAX_DEPTH + 1)));
  }

  static Node nested(int depth) {
    Node node = Node.of("n");
    for (int i = 1; i < depth; i++) {
      node = Node.of("n", Map.of(), List.of(node));
    }
    return node;
  }

  static List<byte[]> sampleEncodings() {
    List<byte[]> out = new ArrayList<>();
    RandomNodes random = new RandomNodes(99L);
    for (int i = 0; i < 40; i++) {
      out.add(NodeEncoder.encode(random.node(3)));
    }
    return out;
  }
}
