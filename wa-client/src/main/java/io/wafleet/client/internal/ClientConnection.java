package io.wafleet.client.internal;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.ConnectionState;
import io.wafleet.client.NotConnectedException;
import io.wafleet.client.PairingCode;
import io.wafleet.client.SendResult;
import io.wafleet.client.WaClient;
import io.wafleet.client.WaListener;
import io.wafleet.client.auth.AuthState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.internal.messaging.Messaging;
import io.wafleet.client.internal.messaging.MessagingState;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.model.GroupMetadata;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.transport.FrameSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One connection attempt of a {@link WaClient}, seen from the client side: assembles socket,
 * handshake, flows, timers and executors, and offers the client's operations on them. Every
 * protocol step runs on the connection's inbound executor (one step at a time, in arrival order,
 * on a worker of the shared executor); the listener runs on its event executor, likewise serial. {@link ConnectionLifecycle} is the one way out. Thread-safe entry
 * points: all public methods.
 */
public final class ClientConnection {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final long SHUTDOWN_WAIT_MILLIS = 5_000;

  private final ClientConfig config;
  private final ConnectionLifecycle lifecycle;
  private final EventSink events;
  private final InboundThread inbound;
  private final Timers timers;
  private final NodeTransport transport;
  private final Messaging messaging;
  private final DeviceAuth auth;
  private final CodePairing codePairing;

  /** A connection over {@code authState}; nothing runs until {@link #start}. */
  public ClientConnection(ClientConfig config, AuthState authState, WaListener listener,
      MessagingState messagingState) {
    this(config, authState, listener, messagingState, node -> { });
  }

  /** As above; {@code inboundObserver} sees every inbound node on the inbound thread (tests). */
  public ClientConnection(ClientConfig config, AuthState authState, WaListener listener,
      MessagingState messagingState, Consumer<Node> inboundObserver) {
    String name = Integer.toString(SEQUENCE.incrementAndGet());
    this.config = config;
    Executor workers = config.executor() != null ? config.executor() : SharedResources.executor();
    this.events = new EventSink(listener, workers);
    this.lifecycle = new ConnectionLifecycle(new ConnectionStateMachine(name), events);
    this.inbound = new InboundThread(workers, lifecycle);
    this.timers = new Timers(config.scheduler() != null ? config.scheduler()
        : SharedResources.scheduler(), inbound);
    this.auth = new DeviceAuth(authState, events);
    IqRequests iqs = new IqRequests(config.random(), timers);
    NodeDispatcher dispatcher = new NodeDispatcher(iqs);
    this.transport = new NodeTransport(config, auth, lifecycle, new FrameSocket(inbound), iqs,
        dispatcher, inboundObserver);
    this.messaging = new Messaging(config, transport, auth, events, timers, messagingState);
    messaging.register(dispatcher);
    Login login = new Login(config, transport, auth, events, lifecycle,
        new PreKeyUploader(config, transport, auth), timers);
    Pairing pairing = new Pairing(config, transport, auth, events, timers, lifecycle);
    new ServerStanzas(transport, auth, lifecycle, pairing, login).register(dispatcher);
    this.codePairing = new CodePairing(config, transport, auth, events, lifecycle, pairing,
        timers);
    Consumer<Node> otherNotifications = dispatcher.handler("notification");
    dispatcher.on("notification", node -> {
      if (CodePairing.NOTIFICATION_TYPE.equals(node.attr("type"))) {
        codePairing.onNotification(node);
      } else {
        otherNotifications.accept(node);
      }
    });
    KeepAlive keepAlive = new KeepAlive(config, transport, events, timers, lifecycle,
        transport::lastReceived);
    lifecycle.onHandshakeFinished(keepAlive::start);
    lifecycle.onClose(timers::shutdown);
    lifecycle.onClose(messaging::close);
    lifecycle.onClose(transport::close);
    lifecycle.onClose(inbound::shutdown);
  }

  /** Opens the socket; the outcome arrives as events. */
  public void start() {
    inbound.execute(() -> {
      lifecycle.state().moveTo(ConnectionState.CONNECTING);
      lifecycle.armConnectDeadline(timers, config.connectTimeout());
      transport.open();
    });
  }

  /**
   * Closes without an event; idempotent; waits until the connection's queued steps and events
   * have run, unless called from a wa-client thread (which may be the one they wait for).
   */
  public void close() {
    inbound.execute(lifecycle::closeQuietly);
    awaitThreads();
  }

  /** Unlinks this device (§7.6), then closes with {@code LoggedOut}. */
  public void logout() {
    ConnectionStateMachine state = lifecycle.state();
    if (!state.is(ConnectionState.OPEN)) {
      throw new NotConnectedException("logout needs an open connection, state=" + state.current());
    }
    inbound.execute(() -> {
      Node remove = Node.of("remove-companion-device",
          Node.attrsOf("jid", auth.credentials().me().toString(), "reason", "user_initiated"));
      Node iq = Node.of("iq", Node.attrsOf("xmlns", "md", "type", "set", "to", WireProtocol.SERVER),
          List.of(remove));
      transport.query(iq, config.queryTimeout()).whenComplete((reply, error) ->
          lifecycle.terminate(DisconnectReason.LOGGED_OUT, DisconnectReason.LOGGED_OUT.code(),
              "logged out by user"));
    });
  }

  public ConnectionState currentState() {
    return lifecycle.state().current();
  }

  /** Queues a text (§8); the future completes on the server ack or fails. */
  public CompletableFuture<SendResult> sendText(Jid to, String text, MessageId id) {
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    ConnectionStateMachine state = lifecycle.state();
    if (!state.is(ConnectionState.OPEN)) {
      result.completeExceptionally(new NotConnectedException(
          "sending needs an open connection, state=" + state.current()));
      return result;
    }
    if (!inbound.submit(() -> {
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

  /** Queries a group's metadata (§10.7) on the inbound thread. */
  public CompletableFuture<GroupMetadata> groupMetadata(Jid group) {
    CompletableFuture<GroupMetadata> result = new CompletableFuture<>();
    ConnectionStateMachine state = lifecycle.state();
    if (!state.is(ConnectionState.OPEN)) {
      result.completeExceptionally(new NotConnectedException(
          "group metadata needs an open connection, state=" + state.current()));
      return result;
    }
    if (!inbound.submit(() -> messaging.groupMetadata(group).whenComplete((meta, error) -> {
      if (error != null) {
        result.completeExceptionally(error instanceof java.util.concurrent.CompletionException
            && error.getCause() != null ? error.getCause() : error);
      } else {
        result.complete(meta);
      }
    }))) {
      result.completeExceptionally(new NotConnectedException("connection closed"));
    }
    return result;
  }

  /**
   * Queues a read receipt (§9.3); the future completes once it is handed to the socket, or fails
   * with {@link NotConnectedException}.
   */
  public CompletableFuture<Void> markRead(Jid chat, Jid author, List<MessageId> ids) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    ConnectionStateMachine state = lifecycle.state();
    if (!state.is(ConnectionState.OPEN)) {
      result.completeExceptionally(new NotConnectedException(
          "marking read needs an open connection, state=" + state.current()));
      return result;
    }
    if (!inbound.submit(() -> {
      if (state.isClosingOrClosed()) {
        result.completeExceptionally(new NotConnectedException("connection closed"));
      } else {
        messaging.markRead(chat, author, ids);
        result.complete(null);
      }
    })) {
      result.completeExceptionally(new NotConnectedException("connection closed"));
    }
    return result;
  }

  /**
   * Requests a pairing code for {@code phone} (§6.7) on this registration connection; the
   * future completes when the server accepted it.
   */
  public CompletableFuture<PairingCode> requestPairingCode(Jid phone) {
    CompletableFuture<PairingCode> result = new CompletableFuture<>();
    if (!inbound.submit(() -> codePairing.request(phone, result))) {
      result.completeExceptionally(new NotConnectedException("connection closed"));
    }
    return result;
  }

  /** Parses a phone number as typed; throws PairingCodeException INVALID_PHONE_NUMBER. */
  public static Jid phoneJid(String phoneNumber) {
    return CodePairing.phoneJid(phoneNumber);
  }

  /** Sends the receipt of an acknowledged message; false when there is no usable connection. */
  public boolean acknowledge(IncomingMessage message) {
    // Offline messages arrive during the post-login steps, before OPEN: the socket is usable.
    ConnectionStateMachine state = lifecycle.state();
    if (state.isClosingOrClosed() || !transport.handshakeDone()) {
      return false;
    }
    return inbound.submit(() -> {
      if (!state.isClosingOrClosed()) {
        messaging.acknowledge(message);
      }
    });
  }

  /** Test seam: sends a raw node on the inbound thread. */
  public boolean sendRaw(Node node) {
    return inbound.submit(() -> transport.send(node));
  }

  private void awaitThreads() {
    String current = Thread.currentThread().getName();
    if (current.startsWith("wa-")) {
      return;
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MILLIS);
      inbound.awaitTermination(SHUTDOWN_WAIT_MILLIS);
      events.awaitTermination(remaining(deadline));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long remaining(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
