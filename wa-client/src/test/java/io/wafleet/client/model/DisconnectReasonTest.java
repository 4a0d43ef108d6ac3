package io.wafleet.client.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.binary.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every row of §7.6 and the predicates. */
class DisconnectReasonTest {

  private static Node streamError(Map<String, String> attrs, Node... children) {
    return Node.of("stream:error", attrs, List.of(children));
  }

  @Test
  void streamError_codeAttributeWins() {
    Node error = streamError(Node.attrsOf("code", "515"), Node.of("conflict", Node.attrsOf("type", "replaced")));
    assertEquals(DisconnectReason.RESTART_REQUIRED, DisconnectReason.fromStreamError(error));
    assertEquals(515, DisconnectReason.streamErrorCode(error));
  }

  @Test
  void streamError_code401WithDeviceRemoved_loggedOut() {
    Node error = streamError(Node.attrsOf("code", "401"),
        Node.of("conflict", Node.attrsOf("type", "device_removed")));
    assertEquals(DisconnectReason.LOGGED_OUT, DisconnectReason.fromStreamError(error));
  }

  @Test
  void streamError_conflictWithoutCode_connectionReplaced() {
    Node error = streamError(Node.attrsOf(), Node.of("conflict", Node.attrsOf("type", "replaced")));
    assertEquals(DisconnectReason.CONNECTION_REPLACED, DisconnectReason.fromStreamError(error));
    assertEquals(440, DisconnectReason.streamErrorCode(error));
  }

  @Test
  void streamError_deviceRemovedConflictWithoutCode_loggedOut() {
    Node error = streamError(Node.attrsOf(), Node.of("conflict", Node.attrsOf("type", "device_removed")));
    assertEquals(DisconnectReason.LOGGED_OUT, DisconnectReason.fromStreamError(error));
  }

  @Test
  void streamError_otherChildOrNone_badSession() {
    assertEquals(DisconnectReason.BAD_SESSION,
        DisconnectReason.fromStreamError(streamError(Node.attrsOf(), Node.of("ack"))));
    assertEquals(DisconnectReason.BAD_SESSION, DisconnectReason.fromStreamError(Node.of("stream:error")));
    assertEquals(500, DisconnectReason.streamErrorCode(Node.of("stream:error")));
  }

  @Test
  void streamError_unknownCode_unknownWithRawCode() {
    Node error = streamError(Node.attrsOf("code", "599"));
    assertEquals(DisconnectReason.UNKNOWN, DisconnectReason.fromStreamError(error));
    assertEquals(599, DisconnectReason.streamErrorCode(error));
  }

  @Test
  void streamError_nonNumericCode_treatedAsMissing() {
    assertEquals(DisconnectReason.BAD_SESSION,
        DisconnectReason.fromStreamError(streamError(Node.attrsOf("code", "x"))));
  }

  @Test
  void failure_reasonIsTheCode() {
    assertEquals(DisconnectReason.LOGGED_OUT,
        DisconnectReason.fromFailure(Node.of("failure", Node.attrsOf("reason", "401"))));
    assertEquals(DisconnectReason.FORBIDDEN,
        DisconnectReason.fromFailure(Node.of("failure", Node.attrsOf("reason", "403"))));
    assertEquals(DisconnectReason.UNAVAILABLE_SERVICE,
        DisconnectReason.fromFailure(Node.of("failure", Node.attrsOf("reason", "503"))));
  }

  @Test
  void failure_withoutReason_badSession() {
    assertEquals(DisconnectReason.BAD_SESSION, DisconnectReason.fromFailure(Node.of("failure")));
    assertEquals(500, DisconnectReason.failureCode(Node.of("failure")));
  }

  @Test
  void fromCode_everyKnownCode() {
    assertEquals(DisconnectReason.LOGGED_OUT, DisconnectReason.fromCode(401));
    assertEquals(DisconnectReason.FORBIDDEN, DisconnectReason.fromCode(403));
    assertEquals(DisconnectReason.TIMED_OUT, DisconnectReason.fromCode(408));
    assertEquals(DisconnectReason.MULTIDEVICE_MISMATCH, DisconnectReason.fromCode(411));
    assertEquals(DisconnectReason.CONNECTION_CLOSED, DisconnectReason.fromCode(428));
    assertEquals(DisconnectReason.CONNECTION_REPLACED, DisconnectReason.fromCode(440));
    assertEquals(DisconnectReason.BAD_SESSION, DisconnectReason.fromCode(500));
    assertEquals(DisconnectReason.UNAVAILABLE_SERVICE, DisconnectReason.fromCode(503));
    assertEquals(DisconnectReason.RESTART_REQUIRED, DisconnectReason.fromCode(515));
    assertEquals(DisconnectReason.UNKNOWN, DisconnectReason.fromCode(0));
    assertEquals(DisconnectReason.UNKNOWN, DisconnectReason.fromCode(418));
  }

  @Test
  void untrustedServer_isLocalOnly_wireCode400MapsToUnknown() {
    assertEquals(400, DisconnectReason.UNTRUSTED_SERVER.code());
    assertEquals(DisconnectReason.UNKNOWN, DisconnectReason.fromCode(400));
    assertFalse(DisconnectReason.UNTRUSTED_SERVER.needsNewPairing());
  }

  @Test
  void connectionLostAndTimedOut_shareCode408() {
    assertEquals(408, DisconnectReason.CONNECTION_LOST.code());
    assertEquals(408, DisconnectReason.TIMED_OUT.code());
  }

  @Test
  void predicates_permanentOnlyForDeadCredentialsReplacedMismatchAndUntrustedServer() {
    for (DisconnectReason reason : DisconnectReason.values()) {
      boolean permanent = reason == DisconnectReason.LOGGED_OUT || reason == DisconnectReason.FORBIDDEN
          || reason == DisconnectReason.CONNECTION_REPLACED
          || reason == DisconnectReason.MULTIDEVICE_MISMATCH
          || reason == DisconnectReason.UNTRUSTED_SERVER;
      assertEquals(permanent, reason.isPermanent(), reason.name());
      assertEquals(!permanent, reason.shouldReconnect(), reason.name());
    }
    assertTrue(DisconnectReason.LOGGED_OUT.needsNewPairing());
    assertTrue(DisconnectReason.FORBIDDEN.needsNewPairing());
    assertFalse(DisconnectReason.CONNECTION_REPLACED.needsNewPairing());
    assertFalse(DisconnectReason.RESTART_REQUIRED.needsNewPairing());
  }
}
