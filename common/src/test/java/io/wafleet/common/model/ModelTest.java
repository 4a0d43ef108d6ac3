package io.wafleet.common.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelTest {

  @Test
  void phoneNumbers_e164_acceptsOnlyE164() {
    assertTrue(PhoneNumbers.isE164("+40700000001"));
    assertFalse(PhoneNumbers.isE164("40700000001"));
    assertFalse(PhoneNumbers.isE164("+0700000001"));
    assertFalse(PhoneNumbers.isE164("+4070000000112345"));
    assertFalse(PhoneNumbers.isE164("+40 700 000 001"));
    assertFalse(PhoneNumbers.isE164(null));
  }

  @Test
  void phoneNumbers_mask_keepsOnlyLastFourDigits() {
    assertEquals("+*******0001", PhoneNumbers.mask("+40700000001"));
    assertEquals("****", PhoneNumbers.mask("123"));
  }

  @Test
  void outboxStatus_canMoveTo_onlyForward() {
    assertTrue(OutboxStatus.QUEUED.canMoveTo(OutboxStatus.SENDING));
    assertTrue(OutboxStatus.SENT.canMoveTo(OutboxStatus.READ));
    assertFalse(OutboxStatus.READ.canMoveTo(OutboxStatus.DELIVERED));
    assertFalse(OutboxStatus.DELIVERED.canMoveTo(OutboxStatus.SENT));
    assertFalse(OutboxStatus.SENT.canMoveTo(OutboxStatus.FAILED));
    assertTrue(OutboxStatus.SENDING.canMoveTo(OutboxStatus.FAILED));
  }

  @Test
  void secrets_toString_neverContainsQrOrText() {
    QrCode qr = new QrCode("2@secret-ref,noise,identity,adv", java.time.Instant.EPOCH);
    assertFalse(qr.toString().contains("secret-ref"));
    OutboxItem item = OutboxItem.queued("k", "acc", "to", "private words", java.time.Instant.EPOCH);
    assertFalse(item.toString().contains("private words"));
  }
}
