package io.wafleet.simulator.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.binary.MalformedNodeException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.binary.NodeDecoder;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.ClientPayload;
import io.wafleet.client.transport.ClientIdentity;
import io.wafleet.client.transport.FrameException;
import io.wafleet.client.transport.FrameReader;
import io.wafleet.client.transport.NoiseException;
import io.wafleet.client.transport.NoiseHandshake;
import io.wafleet.client.transport.TransportCipher;
import io.wafleet.simulator.server.Stats.Counter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket: intro and frames (§1), the Noise responder (§2), the ClientPayload
 * decision between registration and login (§3), then the {@link NodeHandler} of its state.
 *
 * <p>State: {@link State#HANDSHAKE} → {@link State#REGISTERING} or {@link State#AUTHENTICATED} →
 * {@link State#CLOSED}, moved only by {@link #transition}. Any frame, handshake or decode error
 * drops this connection alone, logged as {@code connection dropped reason=...}.
 *
 * <p>Thread-safe: inbound bytes and every state change are synchronized on this object, so frames
 * are handled in arrival order; sends go through the synchronized {@link Wire}.
 */
public final class Connection {

  /** The connection's lifecycle. */
  public enum State {
    /** Reading ClientHello and ClientFinish (§2.2). */
    HANDSHAKE,
    /** A registration: pair-device refs shown, waiting for a scan and pair-device-sign (§6). */
    REGISTERING,
    /** Logged in as a linked device (§7). */
    AUTHENTICATED,
    /** Closed or closing; inbound frames are ignored. */
    CLOSED
  }

  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final ServerContext context;
  private final WebSocket socket;
  private final Wire wire;
  private final FrameReader reader;
  private final NoiseHandshake handshake;
  private volatile State state = State.HANDSHAKE;
  private volatile NodeHandler handler;

  Connection(WebSocket socket, ServerContext context) {
    this.socket = socket;
    this.context = context;
    this.wire = new Wire(socket, context.stats());
    this.reader = FrameReader.server(context.config().maxFrameSize());
    this.handshake = NoiseHandshake.responder(context.serverStatic());
  }

  public State state() {
    return state;
  }

  /** The device this connection is logged in as, or is pairing as once scanned. */
  public Optional<Jid> deviceJid() {
    NodeHandler current = handler;
    return current == null ? Optional.empty() : current.deviceJid();
  }

  /** One WebSocket message from the client. */
  synchronized void onBytes(byte[] chunk) {
    if (state == State.CLOSED) {
      return;
    }
    List<byte[]> frames;
    try {
      frames = reader.feed(chunk);
    } catch (FrameException e) {
      fail("bad-frame", e.getMessage());
      return;
    }
    for (byte[] frame : frames) {
      if (state == State.CLOSED) {
        return;
      }
      context.stats().increment(Counter.FRAMES_IN);
      if (state == State.HANDSHAKE) {
        onHandshakeFrame(frame);
      } else {
        onNodeFrame(frame);
      }
    }
  }

  private void onHandshakeFrame(byte[] frame) {
    try {
      if (handshake.step() == NoiseHandshake.Step.CLIENT_HELLO) {
        handshake.readClientHello(frame);
        wire.sendPlain(handshake.writeServerHello(context.certChain()));
        return;
      }
      ClientIdentity client = handshake.readClientFinish(frame);
      TransportCipher cipher = handshake.split();
      wire.encryptWith(cipher);
      context.stats().increment(Counter.HANDSHAKES_COMPLETED);
      context.scheduler().schedule(wire::openGate,
          context.config().postHandshakeDelay().toMillis(), TimeUnit.MILLISECONDS);
      admit(client);
    } catch (NoiseException e) {
      fail("bad-handshake", e.getMessage());
    }
  }

  /** §3: a payload with devicePairingData registers; one with a username logs in. */
  private void admit(ClientIdentity client) {
    ClientPayload payload;
    try {
      payload = ClientPayload.parseFrom(client.payload());
    } catch (InvalidProtocolBufferException e) {
      fail("bad-client-payload", "ClientPayload does not parse");
      return;
    }
    Admission admission = new Admission(this, context);
    NodeHandler next = payload.hasDevicePairingData()
        ? admission.register(payload.getDevicePairingData(), client.staticKey())
        : admission.login(payload, client.staticKey());
    if (next == null) {
      return;
    }
    handler = next;
    transition(next instanceof PairingSession ? State.REGISTERING : State.AUTHENTICATED);
    next.start();
  }

  private void onNodeFrame(byte[] frame) {
    Node node;
    try {
      node = NodeDecoder.decode(wire.cipher().decrypt(frame));
    } catch (NoiseException e) {
      fail("decrypt-failed", e.getMessage());
      return;
    } catch (MalformedNodeException e) {
      fail("malformed-node", e.getMessage());
      return;
    }
    try {
      handler.handle(node);
    } catch (RuntimeException e) {
      log.warn("stanza handling failed conn={} tag={}", id, node.tag(), e);
      fail("handler-error", e.getClass().getSimpleName());
    }
  }

  /** Sends an encrypted node (held until the §1.4 delay has passed). */
  public void send(Node node) {
    wire.send(node, false);
  }

  /** Sends a final node (a stream error or failure) and then closes the socket. */
  public synchronized void sendAndClose(Node node) {
    wire.send(node, true);
    transition(State.CLOSED);
  }

  /** Closes the TCP connection abruptly, with no close frame (the drop fault). */
  public synchronized void drop(String reason) {
    log.info("connection closed abruptly conn={} reason={}", id, reason);
    transition(State.CLOSED);
    socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, reason);
  }

  /** Stops all output while keeping the socket open (the stall fault). */
  public void stall() {
    wire.stall();
  }

  /** Logs and drops this connection only; other connections keep being served. */
  synchronized void fail(String reason, String detail) {
    log.warn("connection dropped reason={} conn={} state={} detail={}", reason, id, state, detail);
    context.stats().increment(Counter.DROPPED_CONNECTIONS);
    drop(reason);
  }

  /** The socket closed, from either side. */
  synchronized void socketClosed() {
    transition(State.CLOSED);
  }

  /** The single place where the state changes; CLOSED is final and releases the handler. */
  private void transition(State next) {
    State current = state;
    if (current == State.CLOSED) {
      return;
    }
    boolean allowed = next == State.CLOSED || current == State.HANDSHAKE;
    if (!allowed) {
      throw new IllegalStateException("connection " + id + ": " + current + " -> " + next);
    }
    state = next;
    log.debug("connection state conn={} from={} to={}", id, current, next);
    if (next == State.CLOSED) {
      context.connections().remove(this);
      NodeHandler closing = handler;
      if (closing != null) {
        closing.closed();
      }
    }
  }

  long id() {
    return id;
  }
}
