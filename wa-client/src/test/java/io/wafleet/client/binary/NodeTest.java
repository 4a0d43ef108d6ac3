package io.wafleet.client.binary;

import static io.wafleet.client.binary.WireVectorsTest.attrs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTest {

  private final Node iq = Node.of("iq", attrs("id", "1", "type", "get"), List.of(
      Node.of("item", attrs("n", "1")), Node.of("other"), Node.of("item", attrs("n", "2"))));

  @Test
  void accessors_attrsAndChildren_findByName() {
    assertEquals("get", iq.attr("type"));
    assertNull(iq.attr("missing"));
    assertEquals("fallback", iq.attrOr("missing", "fallback"));
    assertEquals("1", iq.child("item").attr("n"));
    assertNull(iq.child("absent"));
    assertEquals(2, iq.children("item").size());
    assertTrue(iq.hasChildren());
    assertNull(iq.bytes());
  }

  @Test
  void accessors_leafNode_haveNoChildren() {
    Node leaf = Node.of("ping");
    assertEquals(List.of(), leaf.children());
    assertFalse(leaf.hasChildren());
    assertNull(leaf.content());
    assertEquals(Map.of(), leaf.attrs());
  }

  @Test
  void copies_inputsChangedLater_doNotAffectNode() {
    byte[] payload = {1, 2, 3};
    Map<String, String> attrs = new LinkedHashMap<>(attrs("a", "1"));
    List<Node> children = new ArrayList<>(List.of(Node.of("c")));
    Node bytesNode = Node.of("b", attrs, payload);
    Node listNode = Node.of("l", attrs, children);
    payload[0] = 9;
    attrs.put("z", "2");
    children.add(Node.of("d"));
    assertArrayEquals(new byte[] {1, 2, 3}, bytesNode.bytes());
    bytesNode.bytes()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, bytesNode.bytes());
    assertEquals(Map.of("a", "1"), listNode.attrs());
    assertEquals(1, listNode.children().size());
    assertThrows(UnsupportedOperationException.class, () -> listNode.attrs().put("x", "y"));
    assertThrows(UnsupportedOperationException.class, () -> listNode.children().add(Node.of("x")));
  }

  @Test
  void attrs_keepInsertionOrder() {
    Node node = Node.of("x", attrs("z", "1", "a", "2", "m", "3"));
    assertEquals(List.of("z", "a", "m"), List.copyOf(node.attrs().keySet()));
  }

  @Test
  void attrsOf_pairs_keepOrder() {
    assertEquals(List.of("to", "id"), List.copyOf(Node.attrsOf("to", "x", "id", "1").keySet()));
    assertThrows(IllegalArgumentException.class, () -> Node.attrsOf("odd"));
  }

  @Test
  void equals_byteContent_comparesValues() {
    assertEquals(Node.of("v", Map.of(), new byte[] {1}), Node.of("v", Map.of(), new byte[] {1}));
    assertEquals(Node.of("v", Map.of(), new byte[] {1}).hashCode(), Node.of("v", Map.of(), new byte[] {1}).hashCode());
    assertNotEquals(Node.of("v", Map.of(), new byte[] {1}), Node.of("v", Map.of(), new byte[] {2}));
    assertNotEquals(Node.of("v", Map.of(), new byte[0]), Node.of("v", Map.of(), List.of()));
  }

  @Test
  void toString_bytesAndJids_areNotPrintedInFull() {
    Node node = Node.of("message", attrs("to", "15550002222:1@s.whatsapp.net", "type", "text"),
        List.of(Node.of("enc", attrs("v", "2"), new byte[] {0x41, 0x42, 0x43})));
    String text = node.toString();
    assertEquals("<message to='*******2222:1@s.whatsapp.net' type='text'><enc v='2'>[3 bytes]</enc></message>",
        text);
    assertFalse(text.contains("15550002222"));
  }

  @Test
  void constructor_invalidInput_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> Node.of(""));
    assertThrows(NullPointerException.class, () -> Node.of(null));
    assertThrows(IllegalArgumentException.class, () -> new Node("x", Map.of(), "string content"));
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("a", null);
    assertThrows(NullPointerException.class, () -> Node.of("x", nullValue));
    List<Object> mixed = new ArrayList<>(List.of(Node.of("a"), "b"));
    assertThrows(IllegalArgumentException.class, () -> new Node("x", Map.of(), mixed));
  }
}
