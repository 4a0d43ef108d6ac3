package io.wafleet.simulator;

import io.wafleet.client.crypto.Hex;
import io.wafleet.client.transport.RootKeyCertificateVerifier;
import io.wafleet.simulator.admin.AdminOperations;
import io.wafleet.simulator.admin.GroupOperations;
import io.wafleet.simulator.admin.AdminServer;
import io.wafleet.simulator.fault.FaultInjector;
import io.wafleet.simulator.phone.PhoneBook;
import io.wafleet.simulator.group.Groups;
import io.wafleet.simulator.relay.Directory;
import io.wafleet.simulator.relay.KeyBundles;
import io.wafleet.simulator.relay.PhonePeers;
import io.wafleet.simulator.relay.Relay;
import io.wafleet.simulator.server.ConnectionRegistry;
import io.wafleet.simulator.server.NoiseIdentity;
import io.wafleet.simulator.server.ServerContext;
import io.wafleet.simulator.server.Stats;
import io.wafleet.simulator.server.WsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running WhatsApp server simulator: the WebSocket endpoint {@link #wsUri()} that Baileys 7.0.0-rc.9
 * and wa-client pair with, log in to and stay connected to (docs/protocol.md §1–§7, §11), and
 * the admin HTTP API at {@link #adminUri()} (phones, scans, logouts, faults, stats). Both listen on
 * 127.0.0.1 only.
 *
 * <pre>{@code
 * try (WaSimulator sim = WaSimulator.start(SimulatorConfig.builder().build())) {
 *   connect a client to sim.wsUri(); POST sim.adminUri() + "phones" ...
 * }
 * }</pre>
 *
 * <p>Its Noise certificate chain is signed by a test root key generated at start, not by
 * WhatsApp's: a client trusts it only when told to, with {@link #trustedVerifier()} in process or
 * the hex key from {@link #rootPublicKey()} / {@code GET /root-key} out of process.
 *
 * <p>Thread-safe. {@link #close()} stops both servers and every thread the simulator started.
 */
public final class WaSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WaSimulator.class);

  private final WsServer ws;
  private final AdminServer admin;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService connectionThreads;
  private final PhonePeers peers;
  private final int wsPort;
  private final byte[] rootPublicKey;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Per device, queued plus delivered-but-unacknowledged stanzas beyond this drop the oldest with a
   * WARN (§7.4, §8.8; see {@code relay.Mailbox}).
   */
  static final int OFFLINE_QUEUE_CAPACITY = 10_000;
  /** Message ids remembered for routing receipts back to their sender (§9.5). */
  static final int RECEIPT_ROUTES = 100_000;
  /**
   * An idle thread of the connections' pool (server package docs) ends after this long; the pool
   * starts another one whenever no idle one is left.
   */
  static final long CONNECTION_THREAD_IDLE_SECONDS = 60;

  private WaSimulator(WsServer ws, AdminServer admin, ScheduledExecutorService scheduler,
      ExecutorService connectionThreads, PhonePeers peers, int wsPort, byte[] rootPublicKey) {
    this.ws = ws;
    this.rootPublicKey = rootPublicKey;
    this.admin = admin;
    this.scheduler = scheduler;
    this.connectionThreads = connectionThreads;
    this.peers = peers;
    this.wsPort = wsPort;
  }

  /**
   * Binds both ports on 127.0.0.1 and starts serving; returns once both listen.
   *
   * @throws IllegalStateException if a port cannot be bound
   */
  public static WaSimulator start(SimulatorConfig config) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "wa-simulator-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    NoiseIdentity identity = NoiseIdentity.generate(config.clock());
    ExecutorService connectionThreads = connectionThreads();
    Stats stats = new Stats();
    ConnectionRegistry connections = new ConnectionRegistry();
    PhoneBook phones = new PhoneBook(config.clock());
    Groups groups = new Groups(phones, config.clock());
    Relay relay = new Relay(new Directory(phones, groups), stats, config.clock(), OFFLINE_QUEUE_CAPACITY,
        RECEIPT_ROUTES);
    KeyBundles keys = new KeyBundles(relay.directory(), relay, stats, config.clock());
    PhonePeers peers = new PhonePeers(relay, keys, config.clock());
    if (config.companionWelcome()) {
      phones.onFirstPreKeyUpload(peers::welcome);
    }
    ServerContext context = new ServerContext(config, phones, stats, connections, scheduler,
        connectionThreads, identity.serverStatic(), identity.certChain(), relay, keys);
    WsServer ws = new WsServer(context);
    AdminServer admin = null;
    try {
      int wsPort = ws.startAndWait();
      admin = new AdminServer(config.adminPort(),
          new AdminOperations(phones, connections, new FaultInjector(connections, stats), stats,
              peers, keys, new GroupOperations(groups, relay)), identity.rootPublicKey());
      log.info("simulator started ws={} admin={} rootKey={}", wsPort, admin.port(),
          Hex.encode(identity.rootPublicKey()));
      return new WaSimulator(ws, admin, scheduler, connectionThreads, peers, wsPort,
          identity.rootPublicKey());
    } catch (IOException | RuntimeException e) {
      stopQuietly(ws);
      if (admin != null) {
        admin.close();
      }
      scheduler.shutdownNow();
      connectionThreads.shutdownNow();
      peers.close();
      throw e instanceof IOException io ? new UncheckedIOException("admin port: " + io.getMessage(), io)
          : (RuntimeException) e;
    }
  }

  public int wsPort() {
    return wsPort;
  }

  public int adminPort() {
    return admin.port();
  }

  /** {@code ws://127.0.0.1:<port>/ws/chat}. */
  public URI wsUri() {
    return URI.create("ws://127.0.0.1:" + wsPort + WsServer.PATH);
  }

  /** {@code http://127.0.0.1:<port>/}. */
  public URI adminUri() {
    return URI.create("http://127.0.0.1:" + adminPort() + "/");
  }

  /**
   * The public key of the test root that signs this simulator's Noise certificate chain (32
   * bytes, a fresh copy); generated at start, different for every simulator.
   */
  public byte[] rootPublicKey() {
    return rootPublicKey.clone();
  }

  /**
   * A verifier that trusts this simulator's root and nothing else:
   * {@code WaClient.builder(auth).serverUri(sim.wsUri()).certificateVerifier(sim.trustedVerifier())}.
   */
  public RootKeyCertificateVerifier trustedVerifier() {
    return RootKeyCertificateVerifier.forRoot(rootPublicKey);
  }

  /** Stops both servers, closes every connection and ends the simulator's threads. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    admin.close();
    stopQuietly(ws);
    scheduler.shutdownNow();
    connectionThreads.shutdownNow();
    peers.close();
    log.info("simulator stopped");
  }

  /**
   * The threads that run the connections' serial executors. A connection uses at most one at a
   * time; the pool has no fixed size, so connections whose handling is slow or stuck hold only
   * their own threads and never keep another connection's work waiting (issue 8: with a fixed pool
   * as large as the machine's CPUs, that many stuck connections stopped every other one).
   */
  private static ExecutorService connectionThreads() {
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, CONNECTION_THREAD_IDLE_SECONDS,
        TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads("wa-simulator-conn-"));
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void stopQuietly(WsServer server) {
    try {
      server.stop(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
