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
import io.wafleet.client.transport.UnsupportedDictionaryException;
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
 * <p>The intro header's last byte chooses the connection's {@link TokenDictionary} (§1.2, §4.8):
 * the header is the Noise prologue, and every node of the connection is read and written with that
 * dictionary's tokens. An intro naming a version the simulator does not serve drops the connection
 * as {@code reason=unsupported-dictionary}.
 *
 * <p>State: {@link State#HANDSHAKE} → {@link State#REGISTERING} or {@link State#AUTHENTICATED} →
 * {@link State#CLOSED}, moved only by {@link #transition}. Any frame, handshake or decode error
 * drops this connection alone, logged as {@code connection dropped reason=...}.
 *
 * <p>Thread-safe without locks (see the package docs): inbound bytes, the close callback, faults
 * and every state change run as tasks of this connection's {@link SerialExecutor}, so frames are
 * handled in arrival order and the state has a single writer. Any thread may call the public
 * methods; they only queue work. Calls into Java-WebSocket happen in those tasks only, never with
 * a lock of ours held.
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
  private final SerialExecutor serial;
  private final Wire wire;
  private final FrameReader reader;
  // Owned by the serial executor; set from the intro, before the first handshake frame.
  private TokenDictionary dictionary;
  private NoiseHandshake handshake;
  private volatile State state = State.HANDSHAKE;
  private volatile NodeHandler handler;

  Connection(WebSocket socket, ServerContext context) {
    this.socket = socket;
    this.context = context;
    this.serial = new SerialExecutor(context.connectionThreads(), "conn-" + id);
    this.wire = new Wire(socket, context.stats(), id);
    this.reader = FrameReader.server(context.config().maxFrameSize(),
        TokenDictionaries.served().versions());
  }

  public State state() {
    return state;
  }

  /** The device this connection is logged in as, or is pairing as once scanned. */
  public Optional<Jid> deviceJid() {
    NodeHandler current = handler;
    return current == null ? Optional.empty() : current.deviceJid();
  }

  /** One WebSocket message from the client (a Java-WebSocket thread: only queued). */
  void onBytes(byte[] chunk) {
    serial.execute(() -> handleBytes(chunk));
  }

  private void handleBytes(byte[] chunk) {
    if (state == State.CLOSED) {
      return;
    }
    List<byte[]> frames;
    try {
      frames = reader.feed(chunk);
    } catch (UnsupportedDictionaryException e) {
      fail("unsupported-dictionary", e.getMessage());
      return;
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
    if (handshake == null && !chooseDictionary()) {
      return;
    }
    try {
      if (handshake.step() == NoiseHandshake.Step.CLIENT_HELLO) {
        handshake.readClientHello(frame);
        wire.sendPlain(handshake.writeServerHello(context.certChain()));
        return;
      }
      ClientIdentity client = handshake.readClientFinish(frame);
      TransportCipher cipher = handshake.split();
      wire.encryptWith(cipher, dictionary.tokens());
      context.stats().increment(Counter.HANDSHAKES_COMPLETED);
      context.scheduler().schedule(() -> serial.execute(wire::openGate),
          context.config().postHandshakeDelay().toMillis(), TimeUnit.MILLISECONDS);
      admit(client);
    } catch (NoiseException e) {
      fail("bad-handshake", e.getMessage());
    }
  }

  /**
   * §1.2: the reader accepted the intro, so it names a served version; the handshake uses that
   * header as its prologue. False, with the connection dropped, if there is no such dictionary.
   */
  private boolean chooseDictionary() {
    int version = reader.dictionaryVersion().orElse(-1);
    dictionary = TokenDictionaries.served().forVersion(version).orElse(null);
    if (dictionary == null) {
      fail("unsupported-dictionary", "intro dictionary version " + version);
      return false;
    }
    log.debug("connection dictionary conn={} version={}", id, version);
    handshake = NoiseHandshake.responder(context.serverStatic(), dictionary.introHeader());
    return true;
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
      node = NodeDecoder.decode(wire.cipher().decrypt(frame), dictionary.tokens());
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

  /**
   * Sends an encrypted node (held until the §1.4 delay has passed). Any thread, with or without
   * locks held: it only queues the node; the write happens later on this connection's executor, in
   * queue order.
   */
  public void send(Node node) {
    wire.enqueue(node, false);
    serial.execute(wire::flush);
  }

  /**
   * Sends a final node (a stream error or failure) and then closes the socket. Any thread; on this
   * connection's own executor the state is CLOSED when it returns, so later frames are ignored.
   */
  public void sendAndClose(Node node) {
    wire.enqueue(node, true);
    onSerial(() -> transition(State.CLOSED));
    serial.execute(wire::flush);
  }

  /** Closes the TCP connection abruptly, with no close frame (the drop fault). Any thread. */
  public void drop(String reason) {
    onSerial(() -> {
      if (state != State.CLOSED) {
        log.info("connection closed abruptly conn={} reason={}", id, reason);
      }
      transition(State.CLOSED);
      wire.abandon();
    });
    serial.execute(() -> socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, reason));
  }

  /** Stops all output while keeping the socket open (the stall fault). Any thread. */
  public void stall() {
    serial.execute(wire::stall);
  }

  /** Logs and drops this connection only; other connections keep being served. Any thread. */
  void fail(String reason, String detail) {
    onSerial(() -> {
      if (state == State.CLOSED) {
        log.info("connection already closed reason={} conn={} detail={}", reason, id, detail);
        return;
      }
      log.warn("connection dropped reason={} conn={} state={} detail={}", reason, id, state, detail);
      context.stats().increment(Counter.DROPPED_CONNECTIONS);
      drop(reason);
    });
  }

  /**
   * The socket closed, from either side (Java-WebSocket's selector or decoder thread: queued). The
   * live-connection count drops only once the handler has released what it registered (refs,
   * relay endpoint), so a caller that sees it drop sees those released too.
   */
  void socketClosed(int code, boolean remote) {
    serial.execute(() -> {
      transition(State.CLOSED);
      context.stats().connectionClosed();
      log.debug("connection closed conn={} code={} remote={}", id, code, remote);
    });
  }

  /** Runs now when already on this connection's executor (so the state changes at once), else queues. */
  private void onSerial(Runnable task) {
    if (serial.isCurrent()) {
      task.run();
    } else {
      serial.execute(task);
    }
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

  /** Serial executor: the dictionary version of the client's intro (§1.2), -1 before it is read. */
  int dictionaryVersion() {
    return dictionary == null ? -1 : dictionary.version();
  }
}
