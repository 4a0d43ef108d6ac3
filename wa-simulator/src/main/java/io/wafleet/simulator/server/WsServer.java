package io.wafleet.simulator.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint {@code ws://127.0.0.1:PORT/ws/chat} (§1.1). Each socket gets one
 * {@link Connection}; binary messages go to it in arrival order (the library hands one socket's
 * messages to one decoder thread, and the connection queues them on its serial executor). A text
 * message drops that connection; a WebSocket message larger than one maximal frame is refused by
 * the library (close 1009).
 *
 * <p>Thread-safe: callbacks come from the library's selector and decoder threads and only hand the
 * event to the connection (copying the bytes): no lock of ours is taken and nothing blocks there.
 * That is also what keeps the selector from parking: it reads into a pooled buffer (at most
 * 2·decoders+1 of them, one decoder per CPU, the library's default) and a buffer comes back once a
 * decoder has decoded it; since decoders never run our handlers, a slow handler cannot hold a
 * buffer, and the selector never waits in {@code takeBuffer()} for one.
 */
public final class WsServer extends WebSocketServer {

  /** The only path served (§1.1). */
  public static final String PATH = "/ws/chat";

  /** Room in one WebSocket message beyond one maximal frame: intro and length headers (§1.2, §1.3). */
  private static final int MESSAGE_SLACK = 1024;

  private static final Logger log = LoggerFactory.getLogger(WsServer.class);

  private final ServerContext context;
  private final CompletableFuture<Integer> started = new CompletableFuture<>();

  public WsServer(ServerContext context) {
    super(new InetSocketAddress("127.0.0.1", context.config().wsPort()),
        Runtime.getRuntime().availableProcessors(),
        List.of(new Draft_6455(List.of(), List.of(new Protocol("")),
            context.config().maxFrameSize() + MESSAGE_SLACK)));
    this.context = context;
    setReuseAddr(true);
    setConnectionLostTimeout(0);
    setDaemon(true);
  }

  /** Starts the server and waits until it listens; returns the bound port. */
  public int startAndWait() {
    start();
    try {
      return started.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("websocket server did not start: " + e.getMessage(), e);
    }
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket socket, Draft draft,
      ClientHandshake request) throws InvalidDataException {
    String path = request.getResourceDescriptor();
    int query = path.indexOf('?');
    if (!PATH.equals(query < 0 ? path : path.substring(0, query))) {
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "unknown path");
    }
    return super.onWebsocketHandshakeReceivedAsServer(socket, draft, request);
  }

  @Override
  public void onOpen(WebSocket socket, ClientHandshake handshake) {
    Connection connection = new Connection(socket, context);
    socket.setAttachment(connection);
    context.connections().add(connection);
    context.stats().connectionOpened();
    log.debug("connection opened conn={}", connection.id());
  }

  @Override
  public void onMessage(WebSocket socket, ByteBuffer message) {
    Connection connection = socket.getAttachment();
    if (connection != null) {
      byte[] bytes = new byte[message.remaining()];
      message.get(bytes);
      connection.onBytes(bytes);
    }
  }

  @Override
  public void onMessage(WebSocket socket, String message) {
    Connection connection = socket.getAttachment();
    if (connection != null) {
      connection.fail("text-message", "every WebSocket message must be binary (§1.1)");
    }
  }

  @Override
  public void onClose(WebSocket socket, int code, String reason, boolean remote) {
    Connection connection = socket.getAttachment();
    if (connection != null) {
      connection.socketClosed(code, remote);
    }
  }

  @Override
  public void onError(WebSocket socket, Exception error) {
    if (socket == null) {
      started.completeExceptionally(error);
      log.error("websocket server error", error);
      return;
    }
    Connection connection = socket.getAttachment();
    log.warn("websocket error conn={} error={}", connection == null ? -1 : connection.id(),
        error.toString());
  }

  @Override
  public void onStart() {
    started.complete(getPort());
  }
}
