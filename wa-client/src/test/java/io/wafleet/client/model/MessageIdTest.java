package io.wafleet.client.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageIdTest {

  @Test
  void derivedFrom_sameKey_sameIdInBaileysShape() {
    MessageId first = MessageId.derivedFrom("outbox-1");
    assertEquals(first, MessageId.derivedFrom("outbox-1"));
    assertNotEquals(first, MessageId.derivedFrom("outbox-2"));
    assertTrue(first.value().matches("3EB0[0-9A-F]{18}"), first.value());
  }

  @Test
  void generate_freshIdsDiffer_andHaveBaileysShape() {
    SecureRandom random = new SecureRandom();
    Jid me = Jid.parse("40700000001:1@s.whatsapp.net");
    MessageId a = MessageId.generate(me, Instant.EPOCH, random);
    MessageId b = MessageId.generate(me, Instant.EPOCH, random);
    assertNotEquals(a, b);
    assertTrue(a.value().matches("3EB0[0-9A-F]{18}"));
  }

  @Test
  void constructor_rejectsEmptyWhitespaceAndTooLong() {
    assertThrows(IllegalArgumentException.class, () -> new MessageId(""));
    assertThrows(IllegalArgumentException.class, () -> new MessageId("a b"));
    assertThrows(IllegalArgumentException.class, () -> new MessageId("x".repeat(129)));
    assertThrows(IllegalArgumentException.class, () -> MessageId.derivedFrom(""));
  }
}
