package io.wafleet.client;

import io.wafleet.client.auth.AuthState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.binary.MalformedNodeException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.CredentialsUpdated;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.LoggedOut;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.transport.FrameException;
import io.wafleet.client.transport.FrameReader;
import io.wafleet.client.transport.FrameTooLargeException;
import io.wafleet.client.transport.NoiseException;
import io.wafleet.client.transport.UntrustedServerException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection attempt of a {@link WaClient}: socket, handshake, flows, timers and threads.
 * Every protocol step runs on the connection's single inbound thread, in arrival order; the
 * listener runs on its event thread. {@link #terminate} is the one way out: it releases
 * everything and emits the single terminal event. Thread-safe entry points: {@link #start},
 * {@link #close}, {@link #logout}.
 */
final class Connection implements ConnectionContext, FrameSocket.Handler {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final long SHUTDOWN_WAIT_MILLIS = 5_000;

  private final ClientConfig config;
  private final AuthState authState;
  private final StateMachine state;
  private final EventSink events;
  private final ExecutorService inbound;
  private final Timers timers;
  private final ConnectionIo io;
  private final Messaging messaging;
  private volatile Instant lastReceived;

  Connection(ClientConfig config, AuthState authState, WaListener listener,
      MessagingState messagingState) {
    String name = Integer.toString(SEQUENCE.incrementAndGet());
    this.config = config;
    this.authState = authState;
    this.state = new StateMachine(name);
    this.events = new EventSink(listener, name);
    this.inbound = Executors.newSingleThreadExecutor(r -> EventSink.daemon(r, "wa-inbound-" + name));
    this.timers = new Timers(config.scheduler(), this::runGuarded, name);
    this.messaging = new Messaging(this, messagingState);
    this.io = new ConnectionIo(this, new FrameSocket(this::runGuarded, this),
        FrameReader.client(config.maxFrameLength()),
        new IqRequests(config.random(), timers), messaging);
    this.lastReceived = config.clock().instant();
  }

  /** Opens the socket; the outcome arrives as events. */
  void start() {
    runGuarded(() -> {
      state.moveTo(ConnectionState.CONNECTING);
      io.armConnectTimeout(config.connectTimeout());
      io.open(authState.credentials());
    });
  }

  /** Closes without an event; idempotent; waits for the threads unless called from one of them. */
  void close() {
    runGuarded(() -> shutdown(null));
    awaitThreads();
  }

  /** Unlinks this device (§7.6), then closes with {@code LoggedOut}. */
  void logout() {
    if (!state.is(ConnectionState.OPEN)) {
      throw new NotConnectedException("logout needs an open connection, state=" + state.current());
    }
    runGuarded(() -> {
      Node remove = Node.of("remove-companion-device",
          Node.attrsOf("jid", credentials().me().toString(), "reason", "user_initiated"));
      Node iq = Node.of("iq", Node.attrsOf("xmlns", "md", "type", "set", "to", WireProtocol.SERVER),
          List.of(remove));
      query(iq, config.queryTimeout()).whenComplete((reply, error) -> terminate(
          DisconnectReason.LOGGED_OUT, DisconnectReason.LOGGED_OUT.code(), "logged out by user"));
    });
  }

  ConnectionState currentState() {
    return state.current();
  }

  /** Queues a text (§8); the future completes on the server ack or fails. */
  CompletableFuture<SendResult> sendText(Jid to, String text, MessageId id) {
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    if (!state.is(ConnectionState.OPEN)) {
      result.completeExceptionally(new NotConnectedException(
          "sending needs an open connection, state=" + state.current()));
      return result;
    }
    if (!submit(() -> {
      if (state.isClosingOrClosed()) {
        result.completeExceptionally(new NotConnectedException("connection closed"));
      } else {
        messaging.send(to, text, id, result);
      }
    })) {
      result.completeExceptionally(new NotConnectedException("connection closed"));
    }
    return result;
  }

  /** Sends the receipt of an acknowledged message; false when there is no usable connection. */
  boolean acknowledge(io.wafleet.client.message.IncomingMessage message) {
    // Offline messages arrive during the post-login steps, before OPEN: the socket is usable.
    if (state.isClosingOrClosed() || !io.handshakeDone()) {
      return false;
    }
    return submit(() -> {
      if (!state.isClosingOrClosed()) {
        messaging.acknowledge(message);
      }
    });
  }

  /** For tests in this package: sends a raw node on the inbound thread. */
  boolean sendRaw(Node node) {
    return submit(() -> io.send(node));
  }

  // ---- FrameSocket.Handler (inbound thread) ----

  @Override
  public void onOpen() {
    if (!state.isClosingOrClosed()) {
      state.moveTo(ConnectionState.HANDSHAKING);
      io.sendClientHello();
    }
  }

  @Override
  public void onMessage(byte[] bytes) {
    if (state.isClosingOrClosed()) {
      return;
    }
    lastReceived = config.clock().instant();
    try {
      io.receive(bytes);
    } catch (FrameTooLargeException e) {
      badInput("oversized frame: " + e.getMessage());
    } catch (FrameException e) {
      badInput("bad frame: " + e.getMessage());
    } catch (UntrustedServerException e) {
      terminate(DisconnectReason.UNTRUSTED_SERVER, DisconnectReason.UNTRUSTED_SERVER.code(),
          e.getMessage());
    } catch (NoiseException e) {
      badInput((io.handshakeDone() ? "noise decrypt failed: " : "handshake failed: ")
          + e.getMessage());
    } catch (MalformedNodeException e) {
      badInput("malformed node: " + e.getMessage());
    }
  }

  @Override
  public void onGone(DisconnectReason reason, int rawCode, String detail) {
    if (!state.isClosingOrClosed()) {
      terminate(reason, rawCode, detail);
    }
  }

  /** The handshake finished: ClientFinish is queued and the transport cipher is in place. */
  void handshakeFinished(boolean registration) {
    state.moveTo(registration ? ConnectionState.PAIRING : ConnectionState.LOGGING_IN);
    new KeepAlive(this).start();
  }

  // ---- ConnectionContext (inbound thread) ----

  @Override
  public ClientConfig config() {
    return config;
  }

  @Override
  public StateMachine state() {
    return state;
  }

  @Override
  public Credentials credentials() {
    return authState.credentials();
  }

  @Override
  public void updateCredentials(Credentials credentials) {
    authState.storeCredentials(credentials);
    emit(new CredentialsUpdated(credentials));
  }

  @Override
  public SignalKeyStore keys() {
    return authState.keys();
  }

  @Override
  public AuthState authState() {
    return authState;
  }

  @Override
  public void send(Node node) {
    io.send(node);
  }

  @Override
  public CompletableFuture<Node> query(Node iq, Duration timeout) {
    return io.query(iq, timeout);
  }

  @Override
  public void emit(WaEvent event) {
    events.emit(event);
  }

  @Override
  public TaskScheduler scheduler() {
    return timers;
  }

  @Override
  public Instant lastReceived() {
    return lastReceived;
  }

  @Override
  public void connectStageDone() {
    io.disarmConnectTimeout();
  }

  @Override
  public void terminate(DisconnectReason reason, int rawCode, String detail) {
    WaEvent last = reason.needsNewPairing()
        ? new LoggedOut(reason, detail)
        : new Disconnected(reason, rawCode, detail);
    shutdown(last);
  }

  // ---- internals ----

  private void badInput(String detail) {
    terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(), detail);
  }

  /** The single exit: state CLOSING → CLOSED, release everything, emit {@code last} if any. */
  private void shutdown(WaEvent last) {
    if (!state.tryMoveTo(ConnectionState.CLOSING)) {
      return;
    }
    if (last != null) {
      log.info("connection closing event={}", last);
    } else {
      log.info("connection closing by caller");
    }
    timers.shutdown();
    messaging.close();
    io.close();
    state.moveTo(ConnectionState.CLOSED);
    if (last != null) {
      events.emit(last);
    }
    events.shutdown();
    inbound.shutdown();
  }

  /** Runs {@code task} on the inbound thread; anything it throws closes the connection. */
  private void runGuarded(Runnable task) {
    submit(task);
  }

  /** {@link #runGuarded}, telling whether the task was queued (false once closed). */
  private boolean submit(Runnable task) {
    try {
      inbound.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("connection task failed error={}", e.toString(), e);
          terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
              "internal error: " + e);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      log.trace("task after close ignored");
      return false;
    }
  }

  private void awaitThreads() {
    String current = Thread.currentThread().getName();
    if (current.startsWith("wa-")) {
      return;
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MILLIS);
      inbound.awaitTermination(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      events.awaitTermination(remaining(deadline));
      timers.awaitTermination(remaining(deadline));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long remaining(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
