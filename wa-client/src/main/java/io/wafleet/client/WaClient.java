package io.wafleet.client;

import io.wafleet.client.auth.AuthState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.internal.ClientConnection;
import io.wafleet.client.internal.SharedResources;
import io.wafleet.client.internal.WireProtocol;
import io.wafleet.client.internal.messaging.LidMappings;
import io.wafleet.client.internal.messaging.MessagingState;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.model.GroupMetadata;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.transport.CertificateVerifier;
import io.wafleet.client.transport.RootKeyCertificateVerifier;
import io.wafleet.client.transport.TransportProtocol;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * A WhatsApp Web multi-device client for one device: one WebSocket, Noise, QR pairing or login,
 * pre-key upload and keepalive (docs/protocol.md §1–§7).
 *
 * <pre>{@code
 * WaClient client = WaClient.builder(authState).listener(events).build();
 * client.connect();   // returns at once; QrCodeUpdated / PairSuccess / Connected / Disconnected follow
 * }</pre>
 *
 * <p>Lifecycle: each {@link #connect()} starts one connection that ends with exactly one
 * {@code Disconnected} or {@code LoggedOut} event, or silently by {@link #close()}. The client
 * never reconnects by itself: after {@code Disconnected} (e.g. RESTART_REQUIRED right after
 * pairing) call {@link #connect()} again — on this client or a new one over the same
 * {@link AuthState}.
 *
 * <p>Thread-safe. Threads: a connection owns only its socket-reader thread (okhttp's, which hands
 * every frame over at once). Its protocol steps run on its inbound executor and its listener
 * calls on its event executor: each strictly serial and in order for that connection, both on
 * workers of a shared executor ({@link Builder#executor}); its timers on a shared scheduler
 * ({@link Builder#scheduler}). The defaults for the okhttp client, the executor and the scheduler
 * are process-wide, created on first use, with daemon threads only; {@link #close()} releases
 * everything the connection holds and never shuts down what was passed in. Because workers are
 * shared, a listener or {@link AuthState} that blocks for long holds up other clients on the
 * same executor: pass a larger executor of your own if they block (e.g. on remote storage).
 */
public final class WaClient {

  /** The most message ids one {@link #markRead} call may name. */
  public static final int MAX_READ_IDS = 256;

  private final ClientConfig config;
  private final AuthState authState;
  private final WaListener listener;
  private final MessagingState messaging;
  private final Consumer<Node> inboundObserver;
  private ClientConnection connection;

  private WaClient(ClientConfig config, AuthState authState, WaListener listener,
      Consumer<Node> inboundObserver) {
    this.config = config;
    this.inboundObserver = inboundObserver;
    this.authState = authState;
    this.listener = listener;
    this.messaging = new MessagingState(config.clock());
  }

  /** A builder for a client over {@code authState} (fresh credentials pair, paired ones log in). */
  public static Builder builder(AuthState authState) {
    return new Builder(authState);
  }

  /**
   * Starts connecting and returns at once; the outcome arrives as events.
   *
   * @throws IllegalStateException if a connection of this client is still running
   */
  public synchronized void connect() {
    if (connection != null && connection.currentState() != ConnectionState.CLOSED) {
      throw new IllegalStateException("already connecting or connected, state="
          + connection.currentState());
    }
    connection = new ClientConnection(config, authState, listener, messaging, inboundObserver);
    connection.start();
  }

  /**
   * Closes the connection, if any, without emitting an event (the caller knows it asked): its
   * socket is cancelled, its timers cancelled, and it waits briefly until its queued steps and
   * events have run (not when called from a wa-client thread, e.g. the listener). Idempotent.
   */
  public void close() {
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    if (current != null) {
      current.close();
    }
  }

  /**
   * Unlinks this device from the account ({@code remove-companion-device}, §7.6) and closes;
   * {@code LoggedOut} follows. The credentials are dead afterwards.
   *
   * @throws NotConnectedException if the connection is not open
   */
  public void logout() {
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    if (current == null) {
      throw new NotConnectedException("logout needs an open connection, never connected");
    }
    current.logout();
  }

  /**
   * Sends a text to a user (§8) with a fresh id. See {@link #sendText(Jid, String, MessageId)}.
   */
  public CompletableFuture<SendResult> sendText(Jid to, String text) {
    Objects.requireNonNull(to, "to == null");
    return sendText(to, text, MessageId.generate(to, config.clock().instant(), config.random()));
  }

  /**
   * Sends a text to a user (§8): to each of the recipient's devices and to our own other devices.
   * To a group ({@code …@g.us}, §10.4): one sender-key message for all members, after the
   * group's metadata and every member's devices are looked up; our sender key goes pairwise to
   * the devices that do not have it yet (kept in the auth state, so a restart does not send it
   * again), and a member removed since our last message makes a new key for everyone left; the
   * result's {@code devices} counts the member devices holding our key. A group we are not in
   * fails with {@link SendRejectedException} ({@code 403}, or {@code 404} for no such group).
   * Texts to one chat reach the server in call order. Returns at once; the future completes when
   * the server acks the message, or fails with {@link NotConnectedException} (no open
   * connection, or it closed first), {@link SendRejectedException} (the server refused it, or no
   * device could be reached) or {@link SendTimeoutException}. Pass the same {@code id} to resend
   * the same message. Delivery and read arrive later as {@code ReceiptReceived} events.
   */
  public CompletableFuture<SendResult> sendText(Jid to, String text, MessageId id) {
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(id, "id == null");
    if (!to.isUser() && !to.isLid() && !to.isGroup()) {
      throw new IllegalArgumentException("only 1:1 chats and groups are supported: "
          + to.masked());
    }
    if (to.isGroup() && to.hasDevice()) {
      throw new IllegalArgumentException("a group jid has no device: " + to.masked());
    }
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    if (current == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("never connected"));
    }
    return current.sendText(to, text, id);
  }

  /**
   * The metadata of a group we are in (§10.7, {@code w:g2}): id, subject, creator, members with
   * their admin flags, addressing mode. Returns at once; the future fails with
   * {@link IqErrorException} (403 not a member, 404 no such group), {@link IqTimeoutException}
   * or {@link NotConnectedException}.
   *
   * @throws IllegalArgumentException if {@code group} is not a {@code @g.us} JID
   */
  public CompletableFuture<GroupMetadata> groupMetadata(Jid group) {
    Objects.requireNonNull(group, "group == null");
    if (!group.isGroup() || group.hasDevice()) {
      throw new IllegalArgumentException("not a group jid: " + group.masked());
    }
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    if (current == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("never connected"));
    }
    return current.groupMetadata(group);
  }

  /**
   * Confirms that the application stored {@code message} (from a {@code MessageReceived} event):
   * only now does the sender get the delivery receipt (§9.3), and the client deletes its own
   * stored copy of the message once the receipt is written. Call it after the durable write;
   * safe from any thread, including the listener (it only queues). When the connection is not
   * open the acknowledgement is kept in memory, and the receipt goes out when the server
   * redelivers the message; if the process dies first, the redelivery emits the message again
   * ({@code MessageReceived} is at-least-once: store by id, idempotently) and it must be
   * acknowledged again. Acknowledging twice is harmless.
   */
  public void acknowledge(IncomingMessage message) {
    Objects.requireNonNull(message, "message == null");
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    messaging.markAcknowledged(message);
    if (current != null) {
      current.acknowledge(message);
    }
  }

  /**
   * Tells the sender that messages were read (§9.3): one read receipt listing {@code ids}, all of
   * them messages of {@code chat} (the {@code chat} of their {@code IncomingMessage}). Never sent
   * by the client on its own. {@code author} is the sender of the messages; WhatsApp needs it only
   * for chats that are not 1:1, so it may be null here. Returns at once; the future completes when
   * the receipt is handed to the socket, or fails with {@link NotConnectedException}.
   *
   * @throws IllegalArgumentException if {@code ids} is empty, holds more than
   *     {@value #MAX_READ_IDS} ids or a null, or {@code chat} is a device JID
   */
  public CompletableFuture<Void> markRead(Jid chat, Jid author, List<MessageId> ids) {
    Objects.requireNonNull(chat, "chat == null");
    Objects.requireNonNull(ids, "ids == null");
    if (ids.isEmpty() || ids.size() > MAX_READ_IDS || ids.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("ids must hold 1.." + MAX_READ_IDS + " message ids");
    }
    if (chat.hasDevice()) {
      throw new IllegalArgumentException("chat must be a user or chat JID, not a device: "
          + chat.masked());
    }
    List<MessageId> copy = List.copyOf(ids);
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    if (current == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("never connected"));
    }
    return current.markRead(chat, author, copy);
  }

  /**
   * The LID of a phone-number user as this client learnt it (from usync answers and the
   * {@code sender_lid} of messages, §8.4, §9.1), kept in the auth state's keys so that it
   * survives restarts. Reads the key store; needs no connection.
   *
   * @throws IllegalArgumentException if {@code phoneNumber} is not a {@code @s.whatsapp.net} JID
   */
  public Optional<Jid> lidOf(Jid phoneNumber) {
    Objects.requireNonNull(phoneNumber, "phoneNumber == null");
    return new LidMappings(authState.keys()).lidOf(phoneNumber);
  }

  /**
   * The phone-number user JID of a LID as this client learnt it; see {@link #lidOf}.
   *
   * @throws IllegalArgumentException if {@code lid} is not a {@code @lid} JID
   */
  public Optional<Jid> phoneNumberOf(Jid lid) {
    Objects.requireNonNull(lid, "lid == null");
    return new LidMappings(authState.keys()).phoneNumberOf(lid);
  }

  /**
   * Requests a code to link this device by phone number instead of a QR code (§6.7). Call it on
   * a registration connection (fresh credentials) once the first {@code QrCodeUpdated} arrived;
   * the user types the code on the phone (Linked devices → Link with phone number instead). The
   * code is valid while this connection lives. When the phone enters it, pairing goes on as after
   * a QR scan: {@code PairSuccess}, then {@code Disconnected(RESTART_REQUIRED)}; connect again to
   * log in. Problems after the code was issued (a wrong code entered, too many attempts, the
   * registration expired, a malformed server notification) arrive as {@code PairingCodeFailed}
   * events. A new request replaces the previous code.
   *
   * <p>Returns at once; the future completes when the server accepted the request, or fails with
   * {@link NotConnectedException} (no registration connection showing QR codes),
   * {@link PairingCodeException} (the server refused the number, or the registration expired),
   * or {@link IqTimeoutException}.
   *
   * @param phoneNumber the account's number in international form, e.g. {@code +40 700 000 001}
   * @throws PairingCodeException INVALID_PHONE_NUMBER when the number is malformed
   */
  public CompletableFuture<PairingCode> requestPairingCode(String phoneNumber) {
    Jid phone = ClientConnection.phoneJid(phoneNumber);
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    if (current == null) {
      return CompletableFuture.failedFuture(new NotConnectedException("never connected"));
    }
    return current.requestPairingCode(phone);
  }

  /** Test seam for raw-peer tests: writes {@code node} as is on the open connection. */
  boolean sendRaw(Node node) {
    ClientConnection current;
    synchronized (this) {
      current = connection;
    }
    return current != null && current.sendRaw(node);
  }

  /** The current connection's state; IDLE before the first connect. */
  public synchronized ConnectionState state() {
    return connection == null ? ConnectionState.IDLE : connection.currentState();
  }

  public AuthState authState() {
    return authState;
  }

  /** Builds a {@link WaClient}; every timeout is injectable. Not thread-safe. */
  public static final class Builder {
    private static final Duration MAX_KEEPALIVE_INTERVAL = Duration.ofHours(24);
    private final AuthState authState;
    private WaListener listener = event -> { };
    private URI serverUri = URI.create(WireProtocol.DEFAULT_URI);
    private CertificateVerifier certificateVerifier;
    private OkHttpClient okHttpClient;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private ExecutorService executor;
    private SecureRandom random;
    private Duration connectTimeout = Duration.ofSeconds(20);
    private Duration keepAliveIntervalMin = Duration.ofSeconds(20);
    private Duration keepAliveIntervalMax = Duration.ofSeconds(30);
    private Duration keepAliveTimeout = Duration.ofSeconds(10);
    private Duration queryTimeout = Duration.ofSeconds(60);
    private Duration loginTimeout = Duration.ofSeconds(30);
    private Duration sendTimeout;
    private Consumer<Node> inboundObserver = node -> { };
    private Duration qrFirstTtl = Duration.ofSeconds(60);
    private Duration qrNextTtl = Duration.ofSeconds(20);
    private Duration pairingCodeConfirmTimeout = Duration.ofMinutes(1);
    private int initialPreKeyCount = 812;
    private int maxFrameLength = TransportProtocol.DEFAULT_MAX_FRAME_LENGTH;

    private Builder(AuthState authState) {
      this.authState = Objects.requireNonNull(authState, "authState == null");
    }

    /** Receives the events; default ignores them. */
    public Builder listener(WaListener value) {
      listener = Objects.requireNonNull(value, "listener == null");
      return this;
    }

    /** Default {@code wss://web.whatsapp.com/ws/chat}; {@code ws://} works for simulators. */
    public Builder serverUri(URI value) {
      serverUri = Objects.requireNonNull(value, "serverUri == null");
      return this;
    }

    /**
     * Checks the server's Noise certificate chain (§2.4). Default:
     * {@link RootKeyCertificateVerifier#whatsApp(Clock)} on this builder's clock, which trusts
     * WhatsApp's root key only. Against a simulator pass
     * {@code RootKeyCertificateVerifier.forRoot(simulatorRootKey)}; a chain the verifier refuses
     * ends the connection with {@link DisconnectReason#UNTRUSTED_SERVER} before any credentials
     * are sent.
     */
    public Builder certificateVerifier(CertificateVerifier value) {
      certificateVerifier = Objects.requireNonNull(value, "certificateVerifier == null");
      return this;
    }

    /**
     * The okhttp client to open sockets with; share one across clients, and give it a dispatcher
     * that admits as many concurrent calls as you will have connected clients (a WebSocket holds
     * its call for life; okhttp's defaults admit 64, 5 per host). Default: one process-wide
     * client whose dispatcher has no such limit and whose threads are daemon threads
     * ({@code wa-socket-N}, one per open socket, ending shortly after it).
     */
    public Builder okHttpClient(OkHttpClient value) {
      okHttpClient = Objects.requireNonNull(value, "okHttpClient == null");
      return this;
    }

    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock == null");
      return this;
    }

    /**
     * Runs the client's timers (never shut down by the client); a timer only hands its task to
     * the connection's inbound executor. Default: one process-wide daemon timer thread
     * ({@code wa-timer}).
     */
    public Builder scheduler(ScheduledExecutorService value) {
      scheduler = Objects.requireNonNull(value, "scheduler == null");
      return this;
    }

    /**
     * Runs the connections' protocol steps and listener calls (never shut down by the client).
     * Each connection stays strictly serial on it: one protocol step at a time in arrival order,
     * one listener call at a time in event order. Default: one process-wide pool of daemon
     * threads ({@code wa-worker-N}), one per core; pass a larger one if the listener or the
     * {@link AuthState} blocks.
     */
    public Builder executor(ExecutorService value) {
      executor = Objects.requireNonNull(value, "executor == null");
      return this;
    }

    public Builder random(SecureRandom value) {
      random = Objects.requireNonNull(value, "random == null");
      return this;
    }

    /** From connect() to the server's success or pair-device, else TIMED_OUT. Default 20 s. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /**
     * The longest time between two keepalive pings (§7.5); each wait is drawn anew, uniformly
     * between two thirds of it and it (whatsmeow's 20–30 s, in proportion). Default 30 s, so
     * pings come every 20–30 s. Same as {@code keepAliveInterval(max * 2 / 3, max)}; at most 24 h.
     */
    public Builder keepAliveInterval(Duration max) {
      Duration checked = interval(max, "keepAliveInterval");
      Duration min = checked.multipliedBy(2).dividedBy(3);
      return keepAliveInterval(min.isZero() ? checked : min, checked);
    }

    /**
     * Each wait before a keepalive ping (§7.5) is drawn anew, uniformly in [{@code min},
     * {@code max}], with {@link #random}: connections that connected together do not ping, and
     * write through okhttp's shared task pool, in the same instant. {@code min == max} pings at a
     * fixed interval. Default 20–30 s (whatsmeow's KeepAliveIntervalMin/Max); at most 24 h.
     */
    public Builder keepAliveInterval(Duration min, Duration max) {
      Duration checkedMin = interval(min, "keepAliveInterval min");
      Duration checkedMax = interval(max, "keepAliveInterval max");
      if (checkedMin.compareTo(checkedMax) > 0) {
        throw new IllegalArgumentException("keepAliveInterval min > max");
      }
      keepAliveIntervalMin = checkedMin;
      keepAliveIntervalMax = checkedMax;
      return this;
    }

    /**
     * How long a ping may go unanswered, and how much silence beyond the wait before a ping is
     * tolerated, before CONNECTION_LOST. Default 10 s.
     */
    public Builder keepAliveTimeout(Duration value) {
      keepAliveTimeout = positive(value, "keepAliveTimeout");
      return this;
    }

    /**
     * From the server's {@code success} to {@link io.wafleet.client.event.Connected}: the
     * post-login queries (§7.2) must all be answered within it, else the connection ends with
     * Disconnected TIMED_OUT, whatever deadline the caller waits with. Default 30 s.
     */
    public Builder loginTimeout(Duration value) {
      loginTimeout = positive(value, "loginTimeout");
      return this;
    }

    /** Per-query deadline. Default 60 s. */
    public Builder queryTimeout(Duration value) {
      queryTimeout = positive(value, "queryTimeout");
      return this;
    }

    /**
     * Test seam for raw-peer tests: sees every inbound node on the inbound thread. Not part of
     * the settings ({@link ClientConfig}); package-private on purpose.
     */
    Builder inboundObserver(Consumer<Node> value) {
      inboundObserver = Objects.requireNonNull(value, "inboundObserver == null");
      return this;
    }

    /** How long a sent text may wait for its server ack. Default: the query timeout. */
    public Builder sendTimeout(Duration value) {
      sendTimeout = positive(value, "sendTimeout");
      return this;
    }

    /** How long the first QR code is shown (§6.3). Default 60 s. */
    public Builder qrFirstTtl(Duration value) {
      qrFirstTtl = positive(value, "qrFirstTtl");
      return this;
    }

    /** How long each later QR code is shown (§6.3). Default 20 s. */
    public Builder qrNextTtl(Duration value) {
      qrNextTtl = positive(value, "qrNextTtl");
      return this;
    }

    /**
     * How long after the phone entered the pairing code (§6.7) pair-success may take before the
     * attempt counts as a wrong code: the server tells the companion nothing when the phone cannot
     * open its key bundle. Default 1 min, WhatsApp Web's timer.
     */
    public Builder pairingCodeConfirmTimeout(Duration value) {
      pairingCodeConfirmTimeout = positive(value, "pairingCodeConfirmTimeout");
      return this;
    }

    /** Pre-keys uploaded when the server has none (§7.2). Default 812, as Baileys. */
    public Builder initialPreKeyCount(int value) {
      if (value < ClientConfig.MIN_PRE_KEY_COUNT || value > 0xFFFF) {
        throw new IllegalArgumentException("initialPreKeyCount out of range: " + value);
      }
      initialPreKeyCount = value;
      return this;
    }

    /** Largest inbound frame accepted; a larger one closes with BAD_SESSION. Default 8 MiB. */
    public Builder maxFrameLength(int value) {
      if (value < 1 || value > TransportProtocol.MAX_FRAME_LENGTH) {
        throw new IllegalArgumentException("maxFrameLength out of range: " + value);
      }
      maxFrameLength = value;
      return this;
    }

    public WaClient build() {
      CertificateVerifier verifier = certificateVerifier != null
          ? certificateVerifier : RootKeyCertificateVerifier.whatsApp(clock);
      ClientConfig config = new ClientConfig(serverUri, WireProtocol.ORIGIN, verifier,
          okHttpClient != null ? okHttpClient : SharedResources.okHttpClient(), clock,
          scheduler != null ? scheduler : SharedResources.scheduler(),
          random != null ? random : new SecureRandom(), connectTimeout, keepAliveIntervalMin,
          keepAliveIntervalMax, keepAliveTimeout, queryTimeout,
          sendTimeout != null ? sendTimeout : queryTimeout,
          qrFirstTtl, qrNextTtl, pairingCodeConfirmTimeout, initialPreKeyCount,
          maxFrameLength, loginTimeout, executor != null ? executor : SharedResources.executor());
      return new WaClient(config, authState, listener, inboundObserver);
    }

    private static Duration interval(Duration value, String name) {
      Duration checked = positive(value, name);
      if (checked.compareTo(MAX_KEEPALIVE_INTERVAL) > 0) {
        throw new IllegalArgumentException(name + " > 24 h");
      }
      return checked;
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " <= 0");
      }
      return value;
    }
  }
}
