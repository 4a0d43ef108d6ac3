package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.binary.NodeEncoder;
import io.wafleet.client.transport.FrameWriter;
import io.wafleet.client.transport.TransportCipher;
import io.wafleet.simulator.server.Stats.Counter;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;

/**
 * The outbound side of one connection: plaintext handshake frames, then encrypted nodes (§1.3,
 * §2.3). Encrypted nodes are held until the post-handshake gate opens (§1.4), then written in
 * order. A stalled wire (fault) writes nothing more.
 *
 * <p>Thread-safe: every method is synchronized, so encrypt, frame and send happen in one order.
 */
final class Wire {

  private final WebSocket socket;
  private final FrameWriter writer = FrameWriter.server();
  private final Stats stats;
  private final List<Node> held = new ArrayList<>();
  private TransportCipher cipher;
  private boolean gateOpen = true;
  private boolean closeAfterFlush;
  private boolean stalled;

  Wire(WebSocket socket, Stats stats) {
    this.socket = socket;
    this.stats = stats;
  }

  /** A handshake frame (ServerHello), sent at once. */
  synchronized void sendPlain(byte[] payload) {
    write(writer.frame(payload));
  }

  /** Switches to transport mode with the gate closed until {@link #openGate()}. */
  synchronized void encryptWith(TransportCipher transport) {
    this.cipher = transport;
    this.gateOpen = false;
  }

  synchronized TransportCipher cipher() {
    return cipher;
  }

  /** Writes every held node, then closes the socket if a close was asked for. */
  synchronized void openGate() {
    gateOpen = true;
    held.forEach(this::writeNode);
    held.clear();
    if (closeAfterFlush) {
      closeSocket();
    }
  }

  /** Sends an encrypted node; with {@code thenClose}, closes the socket after it. */
  synchronized void send(Node node, boolean thenClose) {
    if (closeAfterFlush) {
      return;
    }
    closeAfterFlush = thenClose;
    if (!gateOpen) {
      held.add(node);
      return;
    }
    writeNode(node);
    if (thenClose) {
      closeSocket();
    }
  }

  /** From now on nothing is written, and the socket stays open (the stall fault). */
  synchronized void stall() {
    stalled = true;
    held.clear();
  }

  synchronized boolean stalled() {
    return stalled;
  }

  private void writeNode(Node node) {
    if (stalled) {
      return;
    }
    write(writer.frame(cipher.encrypt(NodeEncoder.encode(node))));
  }

  private void write(byte[] frame) {
    if (stalled) {
      return;
    }
    try {
      socket.send(frame);
      stats.increment(Counter.FRAMES_OUT);
    } catch (WebsocketNotConnectedException e) {
      // The peer is gone; the close callback cleans up.
    }
  }

  private void closeSocket() {
    if (!stalled) {
      socket.close(CloseFrame.NORMAL);
    }
  }
}
