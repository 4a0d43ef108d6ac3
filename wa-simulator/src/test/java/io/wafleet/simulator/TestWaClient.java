package io.wafleet.simulator;

import io.wafleet.client.binary.Node;
import io.wafleet.client.binary.NodeDecoder;
import io.wafleet.client.binary.NodeEncoder;
import io.wafleet.client.binary.Tokens;
import io.wafleet.client.transport.BaileysCompatibleCertificateVerifier;
import io.wafleet.client.transport.FrameReader;
import io.wafleet.client.transport.FrameWriter;
import io.wafleet.client.transport.NoiseHandshake;
import io.wafleet.client.transport.TransportCipher;
import io.wafleet.client.transport.TransportProtocol;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A minimal test-only client built from wa-client's transport and codec classes: a WebSocket, the
 * Noise initiator and node framing. Nodes arrive on a queue; tests drive the protocol steps
 * themselves. It speaks one {@link Dialect}: the token dictionary version of its intro header
 * (§1.2), which is also its Noise prologue, and that version's token table (§4.8). Not thread-safe
 * beyond the queue; one test thread uses it.
 */
final class TestWaClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  /** An intro header and the token table that goes with it. */
  record Dialect(byte[] introHeader, Tokens tokens) {

    /** Dictionary version 3, wa-client's and Baileys 7's. */
    static final Dialect V3 = new Dialect(TransportProtocol.introHeader(), Tokens.standard());

    /** Dictionary version 2, Baileys 6.x's, read from the simulator's own resource. */
    static Dialect v2() {
      return new Dialect(new byte[] {0x57, 0x41, 0x06, 0x02},
          Tokens.fromResource(WaSimulator.class, "server/wa-tokens-v2.txt"));
    }
  }

  private final Socket socket;
  private final Dialect dialect;
  // The server writer adds no intro: this client writes its dialect's intro before the first frame.
  private final FrameWriter writer = FrameWriter.server();
  private final FrameReader reader = FrameReader.client();
  private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger ids = new AtomicInteger();
  private TransportCipher cipher;
  private boolean introSent;
  private volatile int closeCode;

  private TestWaClient(URI uri, Dialect dialect) throws InterruptedException {
    this.dialect = dialect;
    socket = new Socket(uri);
    if (!socket.connectBlocking(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not connect to " + uri);
    }
  }

  /** Opens the socket only (for bad-input tests). */
  static TestWaClient open(URI uri) throws InterruptedException {
    return new TestWaClient(uri, Dialect.V3);
  }

  /**
   * Opens and completes the Noise handshake with this ClientPayload (§2.2). The chain is checked
   * the way Baileys 7.0.0-rc.9 checks it (issuerSerial 0 only), so every raw-protocol test also
   * shows that the simulator's signed chain still passes Baileys' rule; the root signature is
   * wa-client's job, covered by ClientRootKeyIT.
   */
  static TestWaClient connect(URI uri, TestCreds creds, byte[] payload) throws Exception {
    return connect(uri, creds, payload, Dialect.V3);
  }

  /** As {@link #connect(URI, TestCreds, byte[])}, speaking {@code dialect}. */
  static TestWaClient connect(URI uri, TestCreds creds, byte[] payload, Dialect dialect)
      throws Exception {
    TestWaClient client = new TestWaClient(uri, dialect);
    NoiseHandshake handshake = NoiseHandshake.initiator(creds.noiseKey,
        new BaileysCompatibleCertificateVerifier(), dialect.introHeader());
    client.sendRaw(client.frame(handshake.writeClientHello()));
    handshake.readServerHello(client.nextFrame());
    byte[] finish = handshake.writeClientFinish(payload);
    client.cipher = handshake.split();
    client.sendRaw(client.frame(finish));
    return client;
  }

  /** One frame, after the dialect's intro header if nothing was framed yet (§1.2). */
  private byte[] frame(byte[] payload) {
    byte[] framed = writer.frame(payload);
    if (introSent) {
      return framed;
    }
    introSent = true;
    byte[] intro = dialect.introHeader();
    byte[] out = new byte[intro.length + framed.length];
    System.arraycopy(intro, 0, out, 0, intro.length);
    System.arraycopy(framed, 0, out, intro.length, framed.length);
    return out;
  }

  void sendRaw(byte[] bytes) {
    socket.send(bytes);
  }

  void sendText(String text) {
    socket.send(text);
  }

  /** Sends a node encrypted as one frame. */
  void send(Node node) {
    sendRaw(frame(cipher.encrypt(NodeEncoder.encode(node, dialect.tokens()))));
  }

  /** Encrypts arbitrary plaintext as one frame (for malformed-node tests). */
  void sendEncrypted(byte[] plaintext) {
    sendRaw(frame(cipher.encrypt(plaintext)));
  }

  /** A client iq id. */
  String nextId() {
    return "t-" + ids.incrementAndGet();
  }

  /** Frames received and not yet read. */
  int pendingFrames() {
    return frames.size();
  }

  byte[] nextFrame() throws InterruptedException {
    byte[] frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within " + WAIT);
    }
    return frame;
  }

  Node next() throws Exception {
    return NodeDecoder.decode(cipher.decrypt(nextFrame()), dialect.tokens());
  }

  /** The next node matching, skipping others. */
  Node await(Predicate<Node> wanted) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Node node = next();
      if (wanted.test(node)) {
        return node;
      }
    }
    throw new AssertionError("no matching node within " + WAIT);
  }

  /** Sends an iq get and returns the answer with the same id. */
  Node query(String xmlns, String type, Node child) throws Exception {
    String id = nextId();
    send(Node.of("iq", Node.attrsOf("id", id, "to", "@s.whatsapp.net", "type", type,
        "xmlns", xmlns), child == null ? java.util.List.of() : java.util.List.of(child)));
    return await(node -> id.equals(node.attr("id")));
  }

  Node ping() throws Exception {
    return query("w:p", "get", Node.of("ping"));
  }

  /** True once the server closed the socket, within the wait. */
  boolean awaitClosed() throws InterruptedException {
    return closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The WebSocket close code (1006: no close frame). */
  int closeCode() {
    return closeCode;
  }

  boolean isClosed() {
    return closed.getCount() == 0;
  }

  @Override
  public void close() {
    socket.close();
  }

  /** Closes the TCP connection without a WebSocket close frame: an abrupt disconnect. */
  void drop() throws java.io.IOException {
    socket.getSocket().close();
  }

  private final class Socket extends WebSocketClient {
    Socket(URI uri) {
      super(uri);
      setConnectionLostTimeout(0);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {}

    @Override
    public void onMessage(ByteBuffer bytes) {
      byte[] chunk = new byte[bytes.remaining()];
      bytes.get(chunk);
      try {
        frames.addAll(reader.feed(chunk));
      } catch (Exception e) {
        close();
      }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      closeCode = code;
      closed.countDown();
    }

    @Override
    public void onError(Exception ex) {}
  }
}
