package io.wafleet.client.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.model.GroupMetadata;
import io.wafleet.client.model.Jid;
import io.wafleet.client.signal.GroupCipher;
import io.wafleet.client.signal.SenderKeyRecord;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The group stanzas (§10.7) and the persisted sender keys and memory (§10.4). */
class GroupStanzasTest {

  private static final Jid GROUP = Jid.of("40700000001-1700000000", Jid.GROUP_SERVER);

  @Test
  void metadataQuery_isW2gInteractive() {
    Node iq = GroupStanzas.metadataQuery(GROUP);
    assertEquals(Map.of("to", GROUP.toString(), "type", "get", "xmlns", "w:g2"), iq.attrs());
    assertEquals("interactive", iq.child("query").attr("request"));
  }

  @Test
  void metadata_parsed_withAdminFlagsAndAddressingMode() {
    Node reply = Node.of("iq", Node.attrsOf("type", "result"), List.of(Node.of("group",
        Node.attrsOf("id", GROUP.user(), "creator", "40700000001@s.whatsapp.net",
            "creation", "1700000000", "subject", "Team", "addressing_mode", "pn"),
        List.of(Node.of("participant", Node.attrsOf("jid", "40700000001@s.whatsapp.net",
                "type", "superadmin", "lid", "1@lid")),
            Node.of("participant", Node.attrsOf("jid", "40700000002@s.whatsapp.net",
                "type", "admin")),
            Node.of("participant", Node.attrsOf("jid", "40700000003@s.whatsapp.net"))))));
    GroupMetadata meta = GroupStanzas.parseMetadata(GROUP, reply);
    assertEquals(GROUP, meta.id());
    assertEquals("Team", meta.subject());
    assertEquals(Jid.parse("40700000001@s.whatsapp.net"), meta.creator());
    assertEquals(Instant.ofEpochSecond(1700000000), meta.creation());
    assertEquals("pn", meta.addressingMode());
    assertTrue(meta.participants().get(0).superAdmin());
    assertTrue(meta.participants().get(1).admin());
    assertFalse(meta.participants().get(1).superAdmin());
    assertFalse(meta.participants().get(2).admin());
    assertTrue(meta.isMember(Jid.parse("40700000003:4@s.whatsapp.net")));
    assertFalse(meta.isMember(Jid.parse("40700000009@s.whatsapp.net")));
    assertFalse(meta.toString().contains("40700000001"), "no phone numbers in toString");
  }

  @Test
  void metadata_malformed_isTyped() {
    assertThrows(GroupStanzas.MalformedGroupException.class,
        () -> GroupStanzas.parseMetadata(GROUP, Node.of("iq", Node.attrsOf("type", "result"))));
    Node badMember = Node.of("iq", Map.of(), List.of(Node.of("group", Node.attrsOf("id", "1-2"),
        List.of(Node.of("participant", Node.attrsOf("jid", "not a jid"))))));
    assertThrows(GroupStanzas.MalformedGroupException.class,
        () -> GroupStanzas.parseMetadata(GROUP, badMember));
    Node badId = Node.of("iq", Map.of(), List.of(Node.of("group",
        Node.attrsOf("id", "1@s.whatsapp.net"))));
    assertThrows(GroupStanzas.MalformedGroupException.class,
        () -> GroupStanzas.parseMetadata(GROUP, badId));
  }

  @Test
  void message_skmsgFirst_thenCarriers_deviceIdentityOnlyWithPkmsg() {
    Jid device = Jid.parse("40700000002:3@s.whatsapp.net");
    Node withKey = GroupStanzas.message("ID1", GROUP, "pn", new byte[] {9},
        List.of(new MessageStanzas.DeviceCopy(device, "pkmsg", new byte[] {1})), new byte[] {7});
    assertEquals(Map.of("id", "ID1", "to", GROUP.toString(), "type", "text",
        "addressing_mode", "pn"), withKey.attrs());
    assertEquals(List.of("enc", "participants", "device-identity"),
        withKey.children().stream().map(Node::tag).toList());
    assertEquals("skmsg", withKey.children().get(0).attr("type"));
    assertEquals("2", withKey.children().get(0).attr("v"));
    Node to = withKey.child("participants").child("to");
    assertEquals(device.toString(), to.attr("jid"));
    assertEquals("pkmsg", to.child("enc").attr("type"));

    Node msgOnly = GroupStanzas.message("ID2", GROUP, "pn", new byte[] {9},
        List.of(new MessageStanzas.DeviceCopy(device, "msg", new byte[] {1})), new byte[] {7});
    assertNull(msgOnly.child("device-identity"));
    Node noCopies = GroupStanzas.message("ID3", GROUP, "pn", new byte[] {9}, List.of(), null);
    assertEquals(List.of("enc"), noCopies.children().stream().map(Node::tag).toList());
  }

  @Test
  void deliveryReceipt_toTheGroup_withParticipant_senderTypeForOwnDevices() {
    Jid author = Jid.parse("40700000002:3@s.whatsapp.net");
    assertEquals(Map.of("id", "A", "to", GROUP.toString(), "participant", author.toString()),
        GroupStanzas.deliveryReceipt("A", GROUP, author, false).attrs());
    assertEquals("sender", GroupStanzas.deliveryReceipt("A", GROUP, author, true).attr("type"));
  }

  @Test
  void senderKeysAndMemory_persistInTheKeyStore_rekeyDropsBoth() throws Exception {
    InMemoryAuthState auth = InMemoryAuthState.create();
    SenderKeys keys = new SenderKeys(auth.keys());
    Jid me = Jid.parse("40700000001:2@s.whatsapp.net");
    assertEquals("40700000001-1700000000@g.us::40700000001::2", SenderKeys.storeId(GROUP, me));
    assertEquals("40700000001-1700000000@g.us::77_1::5",
        SenderKeys.storeId(GROUP, Jid.parse("77:5@lid")));
    assertTrue(keys.load(GROUP, me).isEmpty());
    SenderKeyRecord own = keys.load(GROUP, me);
    GroupCipher.distributionMessage(own, new SecureRandom());
    keys.store(GROUP, me, own);
    SenderKeys reopened = new SenderKeys(auth.keys());
    assertFalse(reopened.load(GROUP, me).isEmpty());
    Jid bobDevice = Jid.parse("40700000002:3@s.whatsapp.net");
    reopened.storeMemory(GROUP, new SenderKeys.Memory(Set.of(bobDevice.toNonDevice()),
        Set.of(bobDevice)));
    assertEquals(Set.of(bobDevice), new SenderKeys(auth.keys()).memory(GROUP).devices());

    reopened.rekey(GROUP, me);
    assertTrue(keys.load(GROUP, me).isEmpty());
    assertEquals(SenderKeys.Memory.empty(), keys.memory(GROUP));
  }

  @Test
  void corruptStorage_senderKeyThrows_memoryReadsEmpty() {
    InMemoryAuthState auth = InMemoryAuthState.create();
    Jid me = Jid.parse("40700000001:2@s.whatsapp.net");
    auth.keys().store(io.wafleet.client.auth.SignalKeyStore.SENDER_KEY,
        Map.of(SenderKeys.storeId(GROUP, me), new byte[] {(byte) 0xff, 1}));
    auth.keys().store(SenderKeys.MEMORY, Map.of(GROUP.toString(), new byte[] {(byte) 0xff, 1}));
    SenderKeys keys = new SenderKeys(auth.keys());
    assertThrows(IllegalStateException.class, () -> keys.load(GROUP, me));
    assertEquals(SenderKeys.Memory.empty(), keys.memory(GROUP));
  }
}
