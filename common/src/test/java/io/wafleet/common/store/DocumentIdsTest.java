package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DocumentIdsTest {

  @Test
  void require_validIds_returnThem() {
    assertEquals("acc-1", DocumentIds.require("acc-1", "accountId"));
    assertEquals("40700000001@s.whatsapp.net", DocumentIds.require("40700000001@s.whatsapp.net", "chatJid"));
    assertEquals("x".repeat(1500), DocumentIds.require("x".repeat(1500), "id"));
  }

  @Test
  void require_invalidIds_throwNamingTheField() {
    for (String bad : new String[] {null, "", "a/b", ".", "..", "__reserved__", "x".repeat(1501), "é".repeat(751)}) {
      InvalidDocumentIdException e =
          assertThrows(InvalidDocumentIdException.class, () -> DocumentIds.require(bad, "accountId"));
      assertEquals("accountId", e.field());
      assertTrue(e.getMessage().startsWith("accountId "), e.getMessage());
    }
  }
}
