package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.model.DisconnectReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CloseReasonTest {

  @Test
  void everyClientReason_mapsToOneCloseReason() {
    for (DisconnectReason reason : DisconnectReason.values()) {
      assertNotNull(CloseReason.of(reason, reason.code()), reason.name());
    }
    assertEquals(CloseReason.LOGGED_OUT, CloseReason.of(DisconnectReason.LOGGED_OUT, 401));
    assertEquals(CloseReason.MAIN_DEVICE_GONE, CloseReason.of(DisconnectReason.FORBIDDEN, 403));
    assertEquals(CloseReason.CONNECTION_REPLACED, CloseReason.of(DisconnectReason.CONNECTION_REPLACED, 440));
    assertEquals(CloseReason.RESTART_REQUIRED, CloseReason.of(DisconnectReason.RESTART_REQUIRED, 515));
  }

  @Test
  void unknownWireCodes_areClassifiedNeverThrown() {
    assertEquals(CloseReason.TEMPORARY_BAN, CloseReason.of(DisconnectReason.UNKNOWN, 402));
    assertEquals(CloseReason.CLIENT_OUTDATED, CloseReason.of(DisconnectReason.UNKNOWN, 405));
    CloseReason other = CloseReason.of(DisconnectReason.UNKNOWN, 499);
    assertEquals(CloseReason.UNKNOWN_STREAM_ERROR, other);
    assertEquals("wa-stream-error-499", other.codeFor(499));
    assertEquals(OperatorAction.RETRY, other.action());
  }

  @Test
  void actions_matchTheTaxonomy() {
    assertEquals(OperatorAction.RETRY, CloseReason.TIMED_OUT.action());
    assertEquals(OperatorAction.RE_PAIR, CloseReason.LOGGED_OUT.action());
    assertEquals(OperatorAction.RE_PAIR, CloseReason.MAIN_DEVICE_GONE.action());
    assertEquals(OperatorAction.STOP_AND_INVESTIGATE, CloseReason.CONNECTION_REPLACED.action());
    assertEquals(OperatorAction.STOP_AND_INVESTIGATE, CloseReason.TEMPORARY_BAN.action());
  }

  @Test
  void codes_areUniqueAndEachIsDocumentedInTheRunbook() throws Exception {
    String runbook = Files.readString(Path.of("..", "docs", "runbook.md"));
    Set<String> seen = new HashSet<>();
    for (CloseReason reason : CloseReason.values()) {
      assertTrue(seen.add(reason.code()), "duplicate code " + reason.code());
      String documented = reason == CloseReason.UNKNOWN_STREAM_ERROR ? reason.code() + "-<n>" : reason.code();
      assertTrue(runbook.contains("`" + documented + "`"), "docs/runbook.md lacks " + documented);
    }
  }
}
