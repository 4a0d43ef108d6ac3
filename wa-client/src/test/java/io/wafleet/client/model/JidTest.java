package io.wafleet.client.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JidTest {

  @Test
  void parse_deviceJid_splitsUserDeviceServer() {
    Jid jid = Jid.parse("15550001111:1@s.whatsapp.net");
    assertEquals(new Jid("15550001111", 0, OptionalInt.of(1), Jid.SERVER), jid);
    assertTrue(jid.isUser());
    assertEquals(1, jid.deviceId());
    assertEquals("15550001111:1@s.whatsapp.net", jid.toString());
  }

  @Test
  void parse_lidWithDevice_isLidDomainOne() {
    Jid jid = Jid.parse("100000000000001:1@lid");
    assertTrue(jid.isLid());
    assertEquals(Jid.DOMAIN_LID, jid.domainType());
    assertEquals("100000000000001_1.1", jid.signalAddress());
  }

  @Test
  void signalAddress_pnDevice_isUserDotDevice() {
    assertEquals("15550001111.1", Jid.parse("15550001111:1@s.whatsapp.net").signalAddress());
    assertEquals("15550001111.0", Jid.parse("15550001111@s.whatsapp.net").signalAddress());
  }

  @Test
  void parse_agent_becomesDomainTypeAndIsFormatted() {
    Jid jid = Jid.parse("15550001111_1:2@s.whatsapp.net");
    assertEquals(1, jid.agent());
    assertEquals(1, jid.domainType());
    assertEquals("15550001111_1:2@s.whatsapp.net", jid.toString());
    assertEquals("15550001111_1.2", jid.signalAddress());
  }

  @Test
  void parse_deviceZero_keepsDeviceButFormatsWithoutIt() {
    Jid jid = Jid.parse("15550001111:0@s.whatsapp.net");
    assertTrue(jid.hasDevice());
    assertEquals(0, jid.deviceId());
    assertEquals("15550001111@s.whatsapp.net", jid.toString());
    assertFalse(Jid.parse("15550001111@s.whatsapp.net").hasDevice());
    assertFalse(jid.equals(Jid.parse("15550001111@s.whatsapp.net")));
  }

  @Test
  void parse_groupAndBroadcast_areClassified() {
    Jid group = Jid.parse("120363000000000000@g.us");
    assertTrue(group.isGroup());
    assertFalse(group.isUser());
    Jid status = Jid.parse("status@broadcast");
    assertTrue(status.isBroadcast());
    assertEquals("status", status.user());
  }

  @Test
  void parse_serverAddress_hasEmptyUserAndEqualsConstant() {
    Jid server = Jid.parse("@s.whatsapp.net");
    assertEquals(Jid.SERVER_JID, server);
    assertEquals("", server.user());
    assertEquals("@s.whatsapp.net", Jid.SERVER_JID.toString());
  }

  @Test
  void hostedServers_mapToTheirDomainTypes() {
    assertEquals(128, Jid.parse("1:99@hosted").domainType());
    assertEquals(129, Jid.parse("1:99@hosted.lid").domainType());
    assertEquals(0, Jid.parse("1@g.us").domainType());
  }

  @Test
  void toNonDevice_deviceAndAgent_areDropped() {
    assertEquals(Jid.of("15550001111", Jid.SERVER), Jid.parse("15550001111_1:3@s.whatsapp.net").toNonDevice());
  }

  @Test
  void withDevice_setsDevice() {
    Jid jid = Jid.of("15550001111", Jid.SERVER).withDevice(7);
    assertEquals(Jid.of("15550001111", 7, Jid.SERVER), jid);
    assertEquals("15550001111:7@s.whatsapp.net", jid.toString());
  }

  @Test
  void masked_phoneNumber_showsOnlyLastFourDigits() {
    String masked = Jid.parse("15550002222:1@s.whatsapp.net").masked();
    assertEquals("*******2222:1@s.whatsapp.net", masked);
    assertFalse(masked.contains("1555"));
    assertEquals("@s.whatsapp.net", Jid.SERVER_JID.masked());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "no-at-sign", "user@", "a@b@c", "u:x@s.whatsapp.net", "u:@s.whatsapp.net",
      "u_x@s.whatsapp.net", "u:1:2@s.whatsapp.net", "u_1_2@s.whatsapp.net", "u:65536@s.whatsapp.net",
      "u_256@s.whatsapp.net", "u:-1@s.whatsapp.net", "u:123456@s.whatsapp.net"})
  void parse_malformed_throwsIllegalArgument(String text) {
    assertThrows(IllegalArgumentException.class, () -> Jid.parse(text));
    assertNull(Jid.tryParse(text));
  }

  @Test
  void parse_null_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Jid.parse(null));
  }

  @Test
  void constructor_invalidParts_throwIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Jid.of("a", ""));
    assertThrows(IllegalArgumentException.class, () -> Jid.of("a:b", Jid.SERVER));
    assertThrows(IllegalArgumentException.class, () -> Jid.of("a", -1, Jid.SERVER));
  }
}
