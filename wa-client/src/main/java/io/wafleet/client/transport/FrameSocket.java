package io.wafleet.client.transport;

import io.wafleet.client.model.DisconnectReason;
import java.net.URI;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One okhttp WebSocket carrying binary messages (§1.1). okhttp's callbacks are handed to the
 * connection's inbound executor at once, so no client code runs on okhttp threads and nothing
 * thrown can escape into them. Socket-level endings map to reasons here: a WS close frame →
 * CONNECTION_CLOSED (428); a dropped socket or network error → CONNECTION_LOST (408); an HTTP
 * status instead of the upgrade → UNAVAILABLE_SERVICE for 503, else UNKNOWN with the status as
 * raw code (deliberately not Baileys' "status = reason": a proxy's 401 must not log us out).
 * Thread-safe.
 */
public final class FrameSocket {

  /** Called on the inbound executor, in the order okhttp reported. */
  public interface Handler {
    void onOpen();

    void onMessage(byte[] bytes);

    /** The socket is gone, or unusable, for that reason. */
    void onGone(DisconnectReason reason, int rawCode, String detail);
  }

  private static final Logger log = LoggerFactory.getLogger(FrameSocket.class);
  private static final int NORMAL_CLOSURE = 1000;

  private final Executor inbound;
  private volatile WebSocket webSocket;

  public FrameSocket(Executor inbound) {
    this.inbound = inbound;
  }

  /** Opens the socket; {@code handler} hears of it on the inbound executor. Once per socket. */
  public void open(OkHttpClient client, URI uri, String origin, Handler handler) {
    Request request = new Request.Builder().url(uri.toString()).header("Origin", origin).build();
    webSocket = client.newWebSocket(request, new Listener(handler));
  }

  /** Queues one binary message; false if the socket is closed or its queue is full. */
  public boolean send(byte[] message) {
    WebSocket socket = webSocket;
    return socket != null && socket.send(ByteString.of(message));
  }

  /** Drops the socket at once (no close handshake); idempotent. */
  public void cancel() {
    WebSocket socket = webSocket;
    if (socket != null) {
      socket.cancel();
    }
  }

  private void hand(Runnable task) {
    try {
      inbound.execute(task);
    } catch (RejectedExecutionException e) {
      log.trace("socket callback after close ignored");
    }
  }

  private final class Listener extends WebSocketListener {
    private final Handler handler;

    Listener(Handler handler) {
      this.handler = handler;
    }

    @Override
    public void onOpen(WebSocket socket, Response response) {
      hand(handler::onOpen);
    }

    @Override
    public void onMessage(WebSocket socket, ByteString bytes) {
      byte[] data = bytes.toByteArray();
      hand(() -> handler.onMessage(data));
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
      hand(() -> handler.onGone(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
          "text websocket message from server"));
    }

    @Override
    public void onClosing(WebSocket socket, int code, String reason) {
      // Answer the server's close frame instead of cancelling: okhttp releases the upgraded
      // connection only once both close frames went (or the socket failed); after a bare cancel
      // its reader stops quietly, the call is never released and the pool reports it as leaked.
      socket.close(NORMAL_CLOSURE, null);
      hand(() -> closed("websocket closed by server code=" + code));
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
      hand(() -> closed("websocket closed code=" + code));
    }

    @Override
    public void onFailure(WebSocket socket, Throwable t, Response response) {
      int status = response == null ? 0 : response.code();
      if (status > 0) {
        // An HTTP status on the upgrade comes from whatever answered the URL (maybe a proxy), not
        // from WhatsApp's stream: never read a 401/403 here as "logged out".
        DisconnectReason reason = status == DisconnectReason.UNAVAILABLE_SERVICE.code()
            ? DisconnectReason.UNAVAILABLE_SERVICE : DisconnectReason.UNKNOWN;
        hand(() -> handler.onGone(reason, status, "unexpected server response: " + status));
      } else {
        hand(() -> handler.onGone(DisconnectReason.CONNECTION_LOST,
            DisconnectReason.CONNECTION_LOST.code(), "socket failure: " + t));
      }
    }

    private void closed(String detail) {
      handler.onGone(DisconnectReason.CONNECTION_CLOSED, DisconnectReason.CONNECTION_CLOSED.code(),
          detail);
    }
  }
}
