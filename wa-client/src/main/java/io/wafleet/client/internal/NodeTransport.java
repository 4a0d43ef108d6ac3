package io.wafleet.client.internal;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.ConnectionState;
import io.wafleet.client.NotConnectedException;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.MalformedNodeException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.transport.ClientNoiseHandshake;
import io.wafleet.client.transport.FrameException;
import io.wafleet.client.transport.FrameReader;
import io.wafleet.client.transport.FrameSocket;
import io.wafleet.client.transport.FrameTooLargeException;
import io.wafleet.client.transport.NoiseException;
import io.wafleet.client.transport.UntrustedServerException;
import io.wafleet.client.transport.NoiseSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire side of a {@link ClientConnection}: opens the socket, runs the Noise handshake (§2)
 * with the registration or login payload (§3), then decrypts frames into nodes for the
 * {@link NodeDispatcher}, and encrypts what the flows send. Bad input closes the connection with
 * BAD_SESSION. Socket callbacks and everything else run on the inbound thread; sending is safe
 * from any thread.
 */
final class NodeTransport implements NodeChannel, FrameSocket.Handler {

  private static final Logger log = LoggerFactory.getLogger(NodeTransport.class);

  private final ClientConfig config;
  private final DeviceAuth auth;
  private final ConnectionLifecycle lifecycle;
  private final FrameSocket socket;
  private final FrameReader reader;
  private final IqRequests iqs;
  private final NodeDispatcher dispatcher;
  private final Consumer<Node> inboundObserver;
  private ClientNoiseHandshake handshake;
  private volatile NoiseSocket noise;
  private volatile Instant lastReceived;

  /** {@code inboundObserver} sees every decrypted node before dispatch (a test seam; else no-op). */
  NodeTransport(ClientConfig config, DeviceAuth auth, ConnectionLifecycle lifecycle,
      FrameSocket socket, IqRequests iqs, NodeDispatcher dispatcher,
      Consumer<Node> inboundObserver) {
    this.config = config;
    this.auth = auth;
    this.lifecycle = lifecycle;
    this.socket = socket;
    this.reader = FrameReader.client(config.maxFrameLength());
    this.iqs = iqs;
    this.dispatcher = dispatcher;
    this.inboundObserver = inboundObserver;
    this.lastReceived = config.clock().instant();
  }

  /** Opens the WebSocket; the handshake starts when it is open. */
  void open() {
    Credentials credentials = auth.credentials();
    handshake = new ClientNoiseHandshake(credentials, config.certificateVerifier());
    log.info("connecting uri={} registration={}", config.serverUri(), !credentials.isPaired());
    socket.open(config.okHttpClient(), config.serverUri(), config.origin(), this);
  }

  boolean handshakeDone() {
    return noise != null;
  }

  /** When the last frame arrived (or the connection was assembled). */
  Instant lastReceived() {
    return lastReceived;
  }

  // ---- FrameSocket.Handler (inbound thread) ----

  @Override
  public void onOpen() {
    if (!lifecycle.state().isClosingOrClosed()) {
      lifecycle.state().moveTo(ConnectionState.HANDSHAKING);
      socket.send(handshake.helloMessage());
    }
  }

  @Override
  public void onMessage(byte[] bytes) {
    if (lifecycle.state().isClosingOrClosed()) {
      return;
    }
    lastReceived = config.clock().instant();
    try {
      receive(bytes);
    } catch (FrameTooLargeException e) {
      badInput("oversized frame: " + e.getMessage());
    } catch (FrameException e) {
      badInput("bad frame: " + e.getMessage());
    } catch (UntrustedServerException e) {
      lifecycle.terminate(DisconnectReason.UNTRUSTED_SERVER, DisconnectReason.UNTRUSTED_SERVER.code(),
          e.getMessage());
    } catch (NoiseException e) {
      badInput((handshakeDone() ? "noise decrypt failed: " : "handshake failed: ")
          + e.getMessage());
    } catch (MalformedNodeException e) {
      badInput("malformed node: " + e.getMessage());
    }
  }

  @Override
  public void onGone(DisconnectReason reason, int rawCode, String detail) {
    if (!lifecycle.state().isClosingOrClosed()) {
      lifecycle.terminate(reason, rawCode, detail);
    }
  }

  // ---- NodeChannel ----

  @Override
  public void send(Node node) {
    NoiseSocket transport = noise;
    if (transport == null) {
      throw new NotConnectedException("handshake not finished");
    }
    if (!transport.send(node)) {
      log.debug("send dropped: socket closed tag={}", node.tag());
    }
  }

  @Override
  public CompletableFuture<Node> query(Node iq, Duration timeout) {
    String id = iqs.nextId();
    CompletableFuture<Node> reply = iqs.register(id, timeout);
    send(WireProtocol.withId(iq, id));
    return reply;
  }

  /** Fails the pending queries and drops the socket. */
  void close() {
    iqs.failAll(new NotConnectedException("connection closed"));
    socket.cancel();
  }

  /** Feeds one WebSocket message: handshake frames first, then encrypted nodes. */
  private void receive(byte[] bytes) throws FrameException, NoiseException {
    for (byte[] frame : reader.feed(bytes)) {
      if (lifecycle.state().isClosingOrClosed()) {
        return;
      }
      NoiseSocket transport = noise;
      if (transport == null) {
        finishHandshake(frame);
      } else {
        Node node = transport.receive(frame);
        inboundObserver.accept(node);
        dispatcher.dispatch(node);
      }
    }
  }

  private void finishHandshake(byte[] frame) throws NoiseException {
    Credentials credentials = auth.credentials();
    noise = handshake.finish(frame, ClientPayloads.forCredentials(credentials).toByteArray(),
        socket);
    lifecycle.handshakeFinished(!credentials.isPaired());
  }

  private void badInput(String detail) {
    lifecycle.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(), detail);
  }
}
