package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.binary.NodeEncoder;
import io.wafleet.client.binary.Tokens;
import io.wafleet.client.transport.FrameWriter;
import io.wafleet.client.transport.TransportCipher;
import io.wafleet.simulator.server.Stats.Counter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side of one connection: plaintext handshake frames, then encrypted nodes (§1.3,
 * §2.3). Encrypted nodes are held until the post-handshake gate opens (§1.4), then written in
 * order. A stalled wire (fault) writes nothing more; after a final node it closes the socket and
 * writes nothing more.
 *
 * <p>Threading (see the package docs): {@link #enqueue} may be called from any thread and only adds
 * to a lock-free queue; everything else, and so every call into Java-WebSocket, runs on the
 * connection's serial executor, with no lock of ours held. The queue fixes the order: nodes are
 * encrypted and written in the order they were enqueued.
 */
final class Wire {

  private static final Logger log = LoggerFactory.getLogger(Wire.class);

  /** One queued write: a node, optionally the last one before closing. */
  private record Outgoing(Node node, boolean thenClose) {}

  private final WebSocket socket;
  private final FrameWriter writer = FrameWriter.server();
  private final Stats stats;
  private final long connectionId;
  private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
  // Owned by the connection's serial executor.
  private TransportCipher cipher;
  private Tokens tokens;
  private boolean gateOpen = true;
  private boolean finished;
  private boolean stalled;

  Wire(WebSocket socket, Stats stats, long connectionId) {
    this.socket = socket;
    this.stats = stats;
    this.connectionId = connectionId;
  }

  /** Any thread: queues an encrypted node; with {@code thenClose} the socket closes after it. */
  void enqueue(Node node, boolean thenClose) {
    queue.add(new Outgoing(node, thenClose));
  }

  /** Serial executor: a handshake frame (ServerHello), written at once. */
  void sendPlain(byte[] payload) {
    write(writer.frame(payload));
  }

  /**
   * Serial executor: switches to transport mode, nodes written with the connection's dictionary
   * {@code tokens} (§4.8), with the gate closed until {@link #openGate()}.
   */
  void encryptWith(TransportCipher transport, Tokens tokens) {
    this.cipher = transport;
    this.tokens = tokens;
    this.gateOpen = false;
  }

  TransportCipher cipher() {
    return cipher;
  }

  /** Serial executor: opens the gate and writes every queued node. */
  void openGate() {
    gateOpen = true;
    flush();
  }

  /**
   * Serial executor: writes the queued nodes in order while the gate is open; after a final node
   * closes the socket. Nothing is written once stalled or finished.
   */
  void flush() {
    while (gateOpen && !finished) {
      Outgoing next = queue.poll();
      if (next == null) {
        return;
      }
      if (stalled) {
        continue;
      }
      write(writer.frame(cipher.encrypt(NodeEncoder.encode(next.node(), tokens))));
      if (next.thenClose()) {
        finished = true;
        queue.clear();
        socket.close(CloseFrame.NORMAL);
      }
    }
    if (finished) {
      queue.clear();
    }
  }

  /** Serial executor: nothing more is written, and the socket stays open (the stall fault). */
  void stall() {
    stalled = true;
    queue.clear();
  }

  /** Serial executor: nothing more is written (the connection is being dropped). */
  void abandon() {
    finished = true;
    queue.clear();
  }

  private void write(byte[] frame) {
    if (stalled) {
      return;
    }
    try {
      socket.send(frame);
      stats.increment(Counter.FRAMES_OUT);
    } catch (WebsocketNotConnectedException e) {
      // The peer closed first; the close callback ends the connection. Not an error of ours.
      log.info("frame not sent, socket closing conn={} frameBytes={} readyState={}", connectionId,
          frame.length, socket.getReadyState());
    }
  }
}
