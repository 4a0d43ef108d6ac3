package io.wafleet.client;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.transport.FrameException;
import io.wafleet.client.transport.FrameReader;
import io.wafleet.client.transport.NoiseException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire side of a {@link Connection}: opens the socket, runs the Noise handshake (§2) with the
 * registration or login payload (§3), then decrypts frames and dispatches nodes
 * ({@link ServerStanzas}). Sends go through the transport cipher; queries through
 * {@link IqRequests}. Not thread-safe: the inbound thread only (sending is safe from any thread).
 */
final class ConnectionIo {

  private static final Logger log = LoggerFactory.getLogger(ConnectionIo.class);

  private final Connection ctx;
  private final FrameSocket socket;
  private final FrameReader reader;
  private final IqRequests iqs;
  private final NodeDispatcher dispatcher;
  private ClientHandshake handshake;
  private volatile NoiseSocket noise;
  private TaskScheduler.Cancellable connectTimeout;

  ConnectionIo(Connection ctx, FrameSocket socket, FrameReader reader, IqRequests iqs,
      Messaging messaging) {
    this.ctx = ctx;
    this.socket = socket;
    this.reader = reader;
    this.iqs = iqs;
    this.dispatcher = messaging.register(new ServerStanzas(ctx).register(new NodeDispatcher(iqs)));
  }

  void open(Credentials credentials) {
    ClientConfig config = ctx.config();
    handshake = new ClientHandshake(credentials, config.certificateVerifier());
    log.info("connecting uri={} registration={}", config.serverUri(), !credentials.isPaired());
    socket.open(config.okHttpClient(), config.serverUri(), config.origin());
  }

  void armConnectTimeout(Duration timeout) {
    connectTimeout = ctx.scheduler().schedule(() -> ctx.terminate(DisconnectReason.TIMED_OUT,
        DisconnectReason.TIMED_OUT.code(), "connect timed out after " + timeout.toMillis()
            + " ms in state " + ctx.state().current()), timeout);
  }

  void disarmConnectTimeout() {
    if (connectTimeout != null) {
      connectTimeout.cancel();
    }
  }

  void sendClientHello() {
    socket.send(handshake.helloMessage());
  }

  boolean handshakeDone() {
    return noise != null;
  }

  /** Feeds one WebSocket message: handshake frames first, then encrypted nodes. */
  void receive(byte[] bytes) throws FrameException, NoiseException {
    for (byte[] frame : reader.feed(bytes)) {
      if (ctx.state().isClosingOrClosed()) {
        return;
      }
      NoiseSocket transport = noise;
      if (transport == null) {
        finishHandshake(frame);
      } else {
        Node node = transport.receive(frame);
        if (ctx.config().inboundTap() != null) {
          ctx.config().inboundTap().accept(node);
        }
        dispatcher.dispatch(node);
      }
    }
  }

  void send(Node node) {
    NoiseSocket transport = noise;
    if (transport == null) {
      throw new NotConnectedException("handshake not finished");
    }
    if (!transport.send(node)) {
      log.debug("send dropped: socket closed tag={}", node.tag());
    }
  }

  CompletableFuture<Node> query(Node iq, Duration timeout) {
    String id = iqs.nextId();
    CompletableFuture<Node> reply = iqs.register(id, timeout);
    send(WireProtocol.withId(iq, id));
    return reply;
  }

  void close() {
    iqs.failAll(new NotConnectedException("connection closed"));
    socket.cancel();
  }

  private void finishHandshake(byte[] frame) throws NoiseException {
    Credentials credentials = ctx.credentials();
    noise = handshake.finish(frame, credentials, socket);
    ctx.handshakeFinished(!credentials.isPaired());
  }
}
