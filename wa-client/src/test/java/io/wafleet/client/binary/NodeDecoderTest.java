package io.wafleet.client.binary;

import static io.wafleet.client.binary.WireVectorsTest.attrs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.crypto.Hex;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeDecoderTest {

  @Test
  void decode_compressedFrame_inflatesZlibBody() {
    Node node = Node.of("iq", attrs("id", "1", "to", "@s.whatsapp.net"), List.of(Node.of("ping")));
    byte[] plain = NodeEncoder.encode(node);
    assertEquals(node, NodeDecoder.decode(compressedFrame(plain, 1, plain.length - 1)));
  }

  @Test
  void decode_zipBomb_isRejectedAtCap() {
    byte[] body = new byte[NodeDecoder.MAX_INFLATED_SIZE + 1];
    byte[] frame = compressedFrame(body, 0, body.length);
    assertTrue(frame.length < 64 * 1024);
    MalformedNodeException e = assertThrows(MalformedNodeException.class, () -> NodeDecoder.decode(frame));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
  }

  @Test
  void decode_compressedBodyAtCap_isInflated() {
    byte[] body = new byte[NodeDecoder.MAX_INFLATED_SIZE];
    byte[] header = Hex.decode("f802fc0176fe");
    int payload = body.length - header.length - 4;
    System.arraycopy(header, 0, body, 0, header.length);
    body[header.length] = (byte) (payload >>> 24);
    body[header.length + 1] = (byte) (payload >>> 16);
    body[header.length + 2] = (byte) (payload >>> 8);
    body[header.length + 3] = (byte) payload;
    Node node = NodeDecoder.decode(compressedFrame(body, 0, body.length));
    assertEquals(payload, node.bytes().length);
  }

  @Test
  void decode_truncatedZlib_throwsMalformed() {
    byte[] plain = NodeEncoder.encode(Node.of("iq", attrs("id", "1")));
    byte[] frame = compressedFrame(plain, 1, plain.length - 1);
    byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 3);
    assertThrows(MalformedNodeException.class, () -> NodeDecoder.decode(cut));
    assertThrows(MalformedNodeException.class, () -> NodeDecoder.decode(Hex.decode("02 00 01 02 03")));
  }

  @Test
  void decode_flagsWithoutCompressionBit_areIgnored() {
    assertEquals(Node.of("ping"), NodeDecoder.decode(Hex.decode("01 f8 01 56")));
  }

  @Test
  void decode_interopAndFbJids_followWhatsmeowLayout() {
    // INTEROP_JID: user "5" (nibble), device 3, integrator 7, server "interop" (raw).
    Node interop = NodeDecoder.decode(Hex.decode("00 f8 03 11 0c f5 ff 81 5f 00 03 00 07 fc 07 696e7465726f70"));
    assertEquals("7-5:3@interop", interop.attr("jid"));
    Node fb = NodeDecoder.decode(Hex.decode("00 f8 03 11 0c f6 ff 81 5f 00 00 fc 04 6d736772"));
    assertEquals("5:0@msgr", fb.attr("jid"));
  }

  @Test
  void decode_adJidUnknownDomain_meansWhatsappServer() {
    Node node = NodeDecoder.decode(Hex.decode("00 f8 03 11 0c f7 07 02 ff 81 5f"));
    assertEquals("5:2@s.whatsapp.net", node.attr("jid"));
  }

  @Test
  void decode_oddPackedString_dropsFillerCharacter() {
    Node node = NodeDecoder.decode(Hex.decode("00 f8 03 9d 70 ff 82 51 5f"));
    assertEquals("515", node.attr("code"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "empty frame,''",
      "flags only,00",
      "truncated list,00 f8",
      "list size zero,00 00",
      "list size zero via LIST_8,00 f8 00 56",
      "empty tag,00 f8 01 00",
      "non-list header,00 56 01",
      "unknown tag byte 240,00 f8 01 f0",
      "unknown tag byte 244,00 f8 01 f4",
      "invalid nibble 12,00 f8 01 ff 01 c0",
      "invalid nibble 14,00 f8 01 ff 01 0e",
      "packed truncated,00 f8 01 ff 05 12",
      "odd packed without bytes,00 f8 01 ff 80",
      "binary8 beyond buffer,00 f8 01 fc 05 61",
      "binary20 beyond buffer,00 f8 01 fd 0f ff ff 61",
      "binary32 beyond buffer,00 f8 01 fe ff ff ff ff",
      "dictionary index missing,00 f8 01 ec",
      "jid pair empty server,00 f8 01 fa 00 00",
      "fb jid wrong server,00 f8 01 f6 ff 81 5f 00 01 03",
      "interop jid wrong server,00 f8 01 f5 ff 81 5f 00 01 00 02 03",
      "trailing bytes,00 f8 01 56 00",
      "missing attribute value,00 f8 03 56 04",
      "missing content,00 f8 02 56",
      "children truncated,00 f8 02 56 f8 02 f8 01",
      "list16 truncated,00 f8 02 56 f9 01",
      "content with non-list tag for child header,00 f8 02 56 f8 01 56",
  })
  void decode_malformedInput_throwsMalformedNode(String name, String hex) {
    assertThrows(MalformedNodeException.class, () -> NodeDecoder.decode(Hex.decode(hex)), name);
  }

  @Test
  void decode_null_throwsMalformed() {
    assertThrows(MalformedNodeException.class, () -> NodeDecoder.decode(null));
  }

  @Test
  void decode_nestingBeyondCap_throwsMalformed() {
    ByteArrayOutputStream deep = new ByteArrayOutputStream();
    deep.write(0);
    for (int i = 0; i < NodeDecoder.MAX_DEPTH; i++) {
      deep.writeBytes(Hex.decode("f8 02 56 f8 01"));
    }
    deep.writeBytes(Hex.decode("f8 01 56"));
    MalformedNodeException e = assertThrows(MalformedNodeException.class, () -> NodeDecoder.decode(deep.toByteArray()));
    assertTrue(e.getMessage().contains("nesting"), e.getMessage());
  }

  @Test
  void decode_nestedJidPairsBeyondCap_throwsMalformed() {
    ByteArrayOutputStream deep = new ByteArrayOutputStream();
    deep.writeBytes(Hex.decode("00 f8 01"));
    for (int i = 0; i < 100_000; i++) {
      deep.write(0xFA);
    }
    assertThrows(MalformedNodeException.class, () -> NodeDecoder.decode(deep.toByteArray()));
  }

  @Test
  void decode_duplicateAttribute_keepsLastValue() {
    Node node = NodeDecoder.decode(Hex.decode("00 f8 05 56 08 ff 81 1f 08 ff 81 2f"));
    assertEquals(Map.of("id", "2"), node.attrs());
  }

  static byte[] compressedFrame(byte[] body, int offset, int length) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, false);
    deflater.setInput(body, offset, length);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(WireTags.FLAG_COMPRESSED);
    byte[] chunk = new byte[8192];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }
}
