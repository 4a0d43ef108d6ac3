package io.wafleet.connector.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of the simulator that can stall: while stalling, it accepts each new
 * connection and never answers (not even the WebSocket upgrade), as a hung server or a black-holed
 * network does; otherwise it pipes bytes both ways. Thread-safe; {@link #close} ends every socket.
 */
public final class StallingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final AtomicBoolean stalling = new AtomicBoolean();
  private final AtomicInteger stalled = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public StallingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "stalling-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** The simulator's WebSocket URI through this proxy. */
  public URI wsUri() {
    return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws/chat");
  }

  public void stall(boolean on) {
    stalling.set(on);
  }

  /** How many connections were accepted and left unanswered. */
  public int stalledConnections() {
    return stalled.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        if (stalling.get()) {
          stalled.incrementAndGet();
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed: close both below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "stalling-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(StallingProxy::closeQuietly);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
