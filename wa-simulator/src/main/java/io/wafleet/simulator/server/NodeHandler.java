package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import java.util.Optional;

/**
 * Handles the decrypted stanzas of one connection after the handshake: {@link PairingSession} while
 * registering, {@link ClientSession} once logged in. Called on the connection's thread, in
 * arrival order, on the connection's serial executor (see the package docs).
 */
interface NodeHandler {

  /** Sends whatever the connection's first encrypted frames are (pair-device or success). */
  void start();

  void handle(Node node);

  /** The connection closed; release what this handler registered. */
  void closed();

  /** The device this connection is (or is becoming), if known. */
  Optional<Jid> deviceJid();
}
