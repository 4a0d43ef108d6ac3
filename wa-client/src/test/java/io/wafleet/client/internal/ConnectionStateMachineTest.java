package io.wafleet.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.ConnectionState;
import org.junit.jupiter.api.Test;

class ConnectionStateMachineTest {

  @Test
  void stateMachine_loginPath_reachesClosed() {
    ConnectionStateMachine machine = new ConnectionStateMachine("t");
    machine.moveTo(ConnectionState.CONNECTING);
    machine.moveTo(ConnectionState.HANDSHAKING);
    machine.moveTo(ConnectionState.LOGGING_IN);
    machine.moveTo(ConnectionState.OPEN);
    machine.moveTo(ConnectionState.CLOSING);
    machine.moveTo(ConnectionState.CLOSED);
    assertEquals(ConnectionState.CLOSED, machine.current());
  }

  @Test
  void stateMachine_illegalTransition_throwsAndKeepsState() {
    ConnectionStateMachine machine = new ConnectionStateMachine("t");
    assertThrows(IllegalStateException.class, () -> machine.moveTo(ConnectionState.OPEN));
    assertEquals(ConnectionState.IDLE, machine.current());
    machine.moveTo(ConnectionState.CONNECTING);
    assertThrows(IllegalStateException.class, () -> machine.moveTo(ConnectionState.PAIRING));
    assertFalse(machine.tryMoveTo(ConnectionState.CLOSED));
    assertEquals(ConnectionState.CONNECTING, machine.current());
  }

  @Test
  void stateMachine_closingTwice_secondRefused() {
    ConnectionStateMachine machine = new ConnectionStateMachine("t");
    assertTrue(machine.tryMoveTo(ConnectionState.CLOSING));
    assertFalse(machine.tryMoveTo(ConnectionState.CLOSING));
    assertTrue(machine.isClosingOrClosed());
  }

  @Test
  void pairing_neverOpens_itRestarts() {
    assertFalse(ConnectionState.PAIRING.canMoveTo(ConnectionState.OPEN));
    assertTrue(ConnectionState.LOGGING_IN.canMoveTo(ConnectionState.OPEN));
  }

  @Test
  void closed_isFinal() {
    for (ConnectionState target : ConnectionState.values()) {
      assertFalse(ConnectionState.CLOSED.canMoveTo(target), target.name());
    }
  }

  @Test
  void everyStateButClosed_canClose() {
    for (ConnectionState from : ConnectionState.values()) {
      if (from != ConnectionState.CLOSED && from != ConnectionState.CLOSING) {
        assertTrue(from.canMoveTo(ConnectionState.CLOSING), from.name());
      }
    }
  }
}
