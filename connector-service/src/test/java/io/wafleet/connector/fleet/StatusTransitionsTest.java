package io.wafleet.connector.fleet;

import static io.wafleet.common.model.AccountStatus.CONNECTED;
import static io.wafleet.common.model.AccountStatus.CONNECTING;
import static io.wafleet.common.model.AccountStatus.DISCONNECTED;
import static io.wafleet.common.model.AccountStatus.LOGGED_OUT;
import static io.wafleet.common.model.AccountStatus.NEEDS_QR;
import static io.wafleet.common.model.AccountStatus.PENDING;
import static io.wafleet.common.model.AccountStatus.STOPPED;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.AccountStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StatusTransitionsTest {

  @Test
  void everyStatus_mayStopOrBeTakenOverByANewSupervisor() {
    for (AccountStatus from : AccountStatus.values()) {
      assertTrue(StatusTransitions.allowed(from, STOPPED), from.name());
      assertTrue(StatusTransitions.allowed(from, CONNECTING), from.name());
    }
  }

  @Test
  void theDocumentedPaths_areAllowed() {
    assertTrue(StatusTransitions.allowed(CONNECTING, CONNECTED));
    assertTrue(StatusTransitions.allowed(CONNECTING, NEEDS_QR));
    assertTrue(StatusTransitions.allowed(NEEDS_QR, NEEDS_QR), "a rotated QR");
    assertTrue(StatusTransitions.allowed(CONNECTED, DISCONNECTED));
    assertTrue(StatusTransitions.allowed(DISCONNECTED, DISCONNECTED), "a further failed attempt");
    assertTrue(StatusTransitions.allowed(CONNECTED, LOGGED_OUT));
    assertTrue(StatusTransitions.allowed(LOGGED_OUT, LOGGED_OUT), "a QR while logged out");
  }

  @Test
  void shortcuts_areRefused() {
    assertFalse(StatusTransitions.allowed(PENDING, CONNECTED));
    assertFalse(StatusTransitions.allowed(DISCONNECTED, CONNECTED), "a reconnect goes through CONNECTING");
    assertFalse(StatusTransitions.allowed(LOGGED_OUT, CONNECTED), "a re-pair goes through CONNECTING");
    assertFalse(StatusTransitions.allowed(STOPPED, CONNECTED));
    assertFalse(StatusTransitions.allowed(CONNECTED, PENDING));
    assertThrows(IllegalStateException.class, () -> StatusTransitions.require(PENDING, CONNECTED));
  }
}
