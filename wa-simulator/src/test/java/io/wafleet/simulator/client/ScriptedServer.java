package io.wafleet.simulator.client;

import io.wafleet.client.binary.Node;
import io.wafleet.client.binary.NodeDecoder;
import io.wafleet.client.binary.NodeEncoder;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.CertChain;
import io.wafleet.client.proto.ClientPayload;
import io.wafleet.client.transport.ClientIdentity;
import io.wafleet.client.transport.FrameReader;
import io.wafleet.client.transport.FrameWriter;
import io.wafleet.client.transport.NoiseHandshake;
import io.wafleet.client.transport.RootKeyCertificateVerifier;
import io.wafleet.client.transport.ServerCertificates;
import io.wafleet.client.transport.TransportCipher;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A tiny WhatsApp-like server for bad-input tests: it reads the client's frames, can run a real
 * Noise responder, and answers the way a {@link Script} says — including with garbage.
 * One client at a time. Thread-safe enough for one test.
 */
final class ScriptedServer extends WebSocketServer {

  /** Reacts to each client frame; {@code index} 0 is the ClientHello. */
  interface Script {
    void onFrame(ScriptedServer server, int index, byte[] frame) throws Exception;
  }

  private final Script script;
  private final KeyPair serverStatic = Curve25519.generateKeyPair();
  private final KeyPair root = Curve25519.generateKeyPair();
  private final CertChain chain = ServerCertificates.signed(root, Curve25519.generateKeyPair(),
      serverStatic, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1)));
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile WebSocket client;
  private volatile FrameReader reader;
  private FrameWriter writer;
  private NoiseHandshake handshake;
  private TransportCipher cipher;
  private int index;

  ScriptedServer(Script script) {
    super(new InetSocketAddress("127.0.0.1", 0));
    this.script = script;
    setReuseAddr(true);
  }

  static ScriptedServer startWith(Script script) throws InterruptedException {
    ScriptedServer server = new ScriptedServer(script);
    server.start();
    if (!server.started.await(5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("scripted server did not start");
    }
    return server;
  }

  URI uri() {
    return URI.create("ws://127.0.0.1:" + getPort() + "/ws/chat");
  }

  /** Sends bytes as one WebSocket message, unframed. */
  void sendRaw(byte[] bytes) {
    client.send(bytes);
  }

  /** Sends one length-prefixed frame. */
  void sendFrame(byte[] payload) {
    client.send(writer.frame(payload));
  }

  /** Reads a ClientHello and answers with a ServerHello carrying {@code chain}. */
  void answerHello(byte[] clientHello, CertChain chain) throws Exception {
    handshake = NoiseHandshake.responder(serverStatic);
    handshake.readClientHello(clientHello);
    sendFrame(handshake.writeServerHello(chain.toByteArray()));
  }

  /** The valid ServerHello: this server's static key, in a chain signed by its own root. */
  void answerHello(byte[] clientHello) throws Exception {
    answerHello(clientHello, chain);
  }

  /** Trusts this server's root: what a client needs to get past {@link #answerHello(byte[])}. */
  RootKeyCertificateVerifier trustedVerifier() {
    return RootKeyCertificateVerifier.forRoot(root.publicKey());
  }

  /** Reads ClientFinish, switches to transport mode and returns the client's payload. */
  ClientPayload acceptFinish(byte[] clientFinish) throws Exception {
    ClientIdentity identity = handshake.readClientFinish(clientFinish);
    cipher = handshake.split();
    return ClientPayload.parseFrom(identity.payload());
  }

  /** Decrypts and decodes a client frame sent after the handshake. */
  Node decode(byte[] frame) throws Exception {
    return NodeDecoder.decode(cipher.decrypt(frame));
  }

  /** The routing info of the latest connection's intro, if it had one (§1.2). */
  byte[] routingInfo() {
    return reader.routingInfo().orElse(null);
  }

  /** Sends an encrypted frame with this plaintext (a node's bytes, or garbage). */
  void sendEncrypted(byte[] plaintext) {
    sendFrame(cipher.encrypt(plaintext));
  }

  void sendNode(Node node) {
    sendEncrypted(NodeEncoder.encode(node));
  }

  @Override
  public void onOpen(WebSocket socket, ClientHandshake request) {
    client = socket;
    reader = FrameReader.server();
    writer = FrameWriter.server();
    index = 0;
  }

  @Override
  public void onMessage(WebSocket socket, ByteBuffer message) {
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    try {
      for (byte[] frame : reader.feed(bytes)) {
        script.onFrame(this, index++, frame);
      }
    } catch (Exception e) {
      socket.close();
    }
  }

  @Override
  public void onMessage(WebSocket socket, String message) {
    socket.close();
  }

  @Override
  public void onClose(WebSocket socket, int code, String reason, boolean remote) {
  }

  @Override
  public void onError(WebSocket socket, Exception error) {
  }

  @Override
  public void onStart() {
    started.countDown();
  }

  void shutdown() throws InterruptedException {
    stop(1000);
  }
}
