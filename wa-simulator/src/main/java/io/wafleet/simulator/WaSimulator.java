package io.wafleet.simulator;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.transport.ServerCertificates;
import io.wafleet.simulator.admin.AdminOperations;
import io.wafleet.simulator.admin.AdminServer;
import io.wafleet.simulator.fault.FaultInjector;
import io.wafleet.simulator.phone.PhoneBook;
import io.wafleet.simulator.relay.Directory;
import io.wafleet.simulator.relay.KeyBundles;
import io.wafleet.simulator.relay.PhonePeers;
import io.wafleet.simulator.relay.Relay;
import io.wafleet.simulator.server.ConnectionRegistry;
import io.wafleet.simulator.server.ServerContext;
import io.wafleet.simulator.server.Stats;
import io.wafleet.simulator.server.WsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
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
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Per device, queued plus delivered-but-unacknowledged stanzas beyond this drop the oldest with a
   * WARN (§7.4, §8.8; see {@code relay.Mailbox}).
   */
  static final int OFFLINE_QUEUE_CAPACITY = 10_000;
  /** Message ids remembered for routing receipts back to their sender (§9.5). */
  static final int RECEIPT_ROUTES = 100_000;
  /**
   * Threads that run the connections' serial executors (server package docs): a connection uses at
   * most one at a time, and none of them ever waits on another connection.
   */
  static final int CONNECTION_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private WaSimulator(WsServer ws, AdminServer admin, ScheduledExecutorService scheduler,
      ExecutorService connectionThreads, PhonePeers peers, int wsPort) {
    this.ws = ws;
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
    ExecutorService connectionThreads = Executors.newFixedThreadPool(CONNECTION_THREADS,
        daemonThreads("wa-simulator-conn-"));
    KeyPair serverStatic = Curve25519.generateKeyPair();
    Stats stats = new Stats();
    ConnectionRegistry connections = new ConnectionRegistry();
    PhoneBook phones = new PhoneBook(config.clock());
    Relay relay = new Relay(new Directory(phones), stats, config.clock(), OFFLINE_QUEUE_CAPACITY,
        RECEIPT_ROUTES);
    KeyBundles keys = new KeyBundles(relay.directory(), relay, stats, config.clock());
    PhonePeers peers = new PhonePeers(relay, keys, config.clock());
    ServerContext context = new ServerContext(config, phones, stats, connections, scheduler,
        connectionThreads, serverStatic, ServerCertificates.selfIssued(serverStatic).toByteArray(), relay, keys);
    WsServer ws = new WsServer(context);
    AdminServer admin = null;
    try {
      int wsPort = ws.startAndWait();
      admin = new AdminServer(config.adminPort(),
          new AdminOperations(phones, connections, new FaultInjector(connections, stats), stats,
              peers, keys));
      log.info("simulator started ws={} admin={}", wsPort, admin.port());
      return new WaSimulator(ws, admin, scheduler, connectionThreads, peers, wsPort);
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
