package io.wafleet.connector.app;

import com.google.cloud.firestore.Firestore;
import io.wafleet.client.WaClient;
import io.wafleet.client.transport.CertificateVerifier;
import io.wafleet.client.transport.RootKeyCertificateVerifier;
import io.wafleet.common.crypto.BlobCipher;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.SessionStore;
import io.wafleet.connector.fleet.AccountDeletions;
import io.wafleet.connector.fleet.AccountSupervisor;
import io.wafleet.connector.fleet.AccountWrites;
import io.wafleet.connector.fleet.Backoff;
import io.wafleet.connector.fleet.ClaimLoop;
import io.wafleet.connector.fleet.ClientFactory;
import io.wafleet.connector.fleet.CommandWatcher;
import io.wafleet.connector.fleet.ExecutorScheduler;
import io.wafleet.connector.fleet.Fleet;
import io.wafleet.connector.fleet.FleetContext;
import io.wafleet.connector.messages.OutboxConfig;
import io.wafleet.connector.messages.OutboxDispatcher;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.connector.fleet.SupervisorConfig;
import io.wafleet.connector.lease.HostLock;
import io.wafleet.connector.lease.InstanceLease;
import io.wafleet.connector.lease.LeaseConfig;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running connector instance, wired by hand from its {@link ConnectorConfig}: stores over the
 * given Firestore, the instance lease, the fleet (boot restore, then the claim loop), and the HTTP
 * status server. {@link #shutdown()} is what SIGTERM runs.
 *
 * <p>Threads: a pool of {@code WAFLEET_WORKER_THREADS} for the per-account serial executors (their
 * Firestore writes block), one thread of its own for the instance lease (a renewal never queues
 * behind account work: at 1,000 accounts restoring at once it did, and the lease was lost), a pool of
 * {@code WAFLEET_CLIENT_THREADS} on which every WhatsApp connection's protocol and event work runs
 * (serial per connection; it may block on Firestore through the auth state, hence its own pool), one
 * timer thread shared by the fleet and every connection's timers, the claim loop's thread, two HTTP
 * threads, up to two threads that commit the grouped account writes while there are any
 * ({@link AccountWrites}), and okhttp's socket readers: about one thread per connected account.
 */
public final class Connector {

  private static final Logger log = LoggerFactory.getLogger(Connector.class);
  /** Cloud Run sends SIGKILL 10 s after SIGTERM; everything must be released well before. */
  static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(7);
  /** How long a lost (or replaced) lease waits for the sockets to close before the process ends. */
  static final Duration LOST_CLOSE_BUDGET = Duration.ofSeconds(2);

  private final ConnectorConfig config;
  private final Firestore firestore;
  private final Clock clock;
  private final ExecutorService pool;
  private final ExecutorService leaseWorker;
  private final ExecutorService clientPool;
  private final ScheduledExecutorService timer;
  private final OkHttpClient http;
  private final LeaseStore leases;
  private final Fleet fleet;
  private final OutboxDispatcher outbox;
  private final InstanceLease lease;
  private final ClaimLoop claimLoop;
  private final CommandWatcher commands;
  private final AccountDeletions deletions;
  private final StatusServer status;
  private final AccountWrites writes;
  private volatile boolean leaseAcquired;
  private volatile boolean stopping;

  /**
   * Builds the instance and opens its HTTP port (not ready until {@link #run()} holds the lease).
   *
   * @param onLeaseLost what the process does after the fleet closed every socket on a lost lease
   */
  public Connector(ConnectorConfig config, Firestore firestore, Clock clock, Runnable onLeaseLost) throws IOException {
    this.config = Objects.requireNonNull(config, "config == null");
    this.firestore = Objects.requireNonNull(firestore, "firestore == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    Objects.requireNonNull(onLeaseLost, "onLeaseLost == null");
    pool = Executors.newFixedThreadPool(config.workerThreads(), daemon("fleet-worker"));
    leaseWorker = Executors.newSingleThreadExecutor(daemon("lease-worker"));
    timer = Executors.newSingleThreadScheduledExecutor(daemon("fleet-timer"));
    clientPool = Executors.newFixedThreadPool(config.clientThreads(), daemon("wa-worker"));
    ExecutorScheduler scheduler = new ExecutorScheduler(timer);
    // A WebSocket holds its okhttp call for life: the default Dispatcher would admit only 64 sockets.
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    http = new OkHttpClient.Builder().dispatcher(dispatcher).build();

    AccountStore accounts = new AccountStore(firestore, clock);
    writes = new AccountWrites(accounts);
    SessionStore sessions = new SessionStore(firestore, new BlobCipher(config.sessionKeys()), clock);
    leases = new LeaseStore(firestore, clock, config.leaseSkew());
    SecureRandom random = new SecureRandom();
    outbox = new OutboxDispatcher(new OutboxStore(firestore, clock), new MessageStore(firestore, clock),
        config.instanceId(), scheduler, clock, new OutboxConfig(config.outboxMessagesPerMinute(), config.outboxMaxAttempts(),
            Backoff.standard(random::nextDouble)));
    FleetContext ctx = new FleetContext(accounts, sessions, outbox, clientFactory(random), scheduler, pool, clock,
        random,
        new SupervisorConfig(config.connectTimeout(), Backoff.standard(random::nextDouble), config.loopRetries(),
            config.loopWindow(), config.timeoutsBeforeQr(), config.activityWriteEvery(),
            config.phoneOfflineWarnAfter()),
        new IncidentStore(firestore, clock), writes);
    fleet = new Fleet(ctx, leases, config.instanceId(), config.claimParallelism(), config.claimBatch());
    lease = new InstanceLease(leases, new LeaseConfig(config.instanceId(), config.leaseTtl(), config.leaseRenewEvery(),
        config.version()), scheduler, leaseWorker, clock, fleet::owned, () -> {
          try {
            // Every socket closed before the process ends: a successor under this id waits for this
            // process's host lock, which only its end frees.
            fleet.onLeaseLost().get(LOST_CLOSE_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
          } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            log.warn("lease lost: not every socket closed within {} error={}", LOST_CLOSE_BUDGET, e.toString());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          onLeaseLost.run();
        }, InstanceLease.newIncarnation(),
        // The lock is per database: two local stacks (two emulators) never share one.
        HostLock.of(config.instanceLockDir(), config.emulatorHost() == null ? config.projectId()
            : config.projectId() + "@" + config.emulatorHost(), config.instanceId()));
    deletions = new AccountDeletions(fleet, accounts, leases);
    claimLoop = new ClaimLoop(fleet, deletions, accounts, leases, scheduler, clock, config.leaseRenewEvery(),
        config.maxAccounts(), config.fairShareSlack());
    // Accounts an earlier process under this id still owned: claimed by the next pass once allowed.
    lease.reclaimAllowed().thenRun(claimLoop::wake);
    commands = new CommandWatcher(fleet, accounts, deletions, config.instanceId());
    status = new StatusServer(config.port(), this::notReadyReason, this::statusJson);
  }

  /** Takes the lease (retrying while Firestore cannot be written), restores the fleet, starts claiming. */
  public void run() throws InterruptedException {
    log.info("connector starting {}", config);
    while (!stopping) {
      try {
        lease.acquire();
        leaseAcquired = true;
        break;
      } catch (RuntimeException e) {
        log.warn("lease not acquired instance={} error={}: retrying", config.instanceId(), e.toString());
        Thread.sleep(config.leaseRenewEvery().toMillis() / 2);
      }
    }
    if (stopping) {
      return;
    }
    long started = System.nanoTime();
    int restored = fleet.restoreActive();
    log.info("boot restore claimed accounts={} in_ms={} incarnation={}", restored,
        (System.nanoTime() - started) / 1_000_000, lease.incarnation());
    outbox.start();
    commands.start();
    claimLoop.start();
  }

  /** The worker pool the accounts' serial executors run on (tests hold its threads). */
  java.util.concurrent.Executor fleetPool() {
    return pool;
  }

  public int httpPort() {
    return status.port();
  }

  /**
   * SIGTERM: stop claiming, close every socket and give every account up so a peer claims it at once,
   * release the lease, close the HTTP port and Firestore; bounded by {@link #SHUTDOWN_BUDGET}.
   */
  public void shutdown() {
    if (stopping) {
      return;
    }
    stopping = true;
    long began = System.nanoTime();
    int owned = fleet.owned();
    log.info("shutdown begins instance={} accounts={}", config.instanceId(), owned);
    claimLoop.close();
    commands.close();
    deletions.close();
    outbox.close();
    try {
      fleet.releaseAll(pool).get(SHUTDOWN_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("shutdown: not every account was released within {}", SHUTDOWN_BUDGET);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      log.warn("shutdown: releasing accounts failed error={}", e.getCause().toString());
    }
    if (leaseAcquired) {
      try {
        lease.release();
      } catch (RuntimeException e) {
        log.warn("shutdown: lease release failed error={}", e.toString());
      }
    }
    status.close();
    timer.shutdownNow();
    pool.shutdownNow();
    leaseWorker.shutdownNow();
    clientPool.shutdownNow();
    http.dispatcher().executorService().shutdown();
    // Every write is done; shutdown() does not wait for the gRPC channels to drain (close() would).
    firestore.shutdown();
    log.info("shutdown done instance={} accounts={} in_ms={}", config.instanceId(), owned,
        (System.nanoTime() - began) / 1_000_000);
  }

  private String notReadyReason() {
    if (stopping) {
      return "shutting down";
    }
    if (!leaseAcquired) {
      return "instance lease not acquired yet (Firestore unreachable or starting)";
    }
    if (!lease.isLive()) {
      return "instance lease not renewing (Firestore unreachable or lease lost)";
    }
    return null;
  }

  private String statusJson() {
    Map<String, AccountSupervisor> owned = new TreeMap<>(fleet.supervisors());
    StringBuilder out = new StringBuilder(128 + owned.size() * 128);
    out.append("{\"instanceId\":").append(Json.string(config.instanceId()))
        .append(",\"version\":").append(Json.string(config.version()))
        .append(",\"leaseUntil\":").append(Json.string(leaseAcquired ? lease.leaseUntil() : null))
        .append(",\"now\":").append(Json.string(clock.instant()))
        .append(",\"accountsOwned\":").append(owned.size())
        .append(",\"accountWrites\":{\"writes\":").append(writes.writes())
        .append(",\"commits\":").append(writes.commits()).append('}')
        .append(",\"accounts\":[");
    boolean first = true;
    for (AccountSupervisor s : owned.values()) {
      out.append(first ? "" : ",").append("{\"id\":").append(Json.string(s.accountId()))
          .append(",\"phone\":").append(Json.string(fleet.maskedPhone(s.accountId())))
          .append(",\"status\":").append(Json.string(s.status()))
          .append(",\"since\":").append(Json.string(s.statusSince()))
          .append(",\"generation\":").append(s.owner().generation())
          .append(",\"written\":").append(s.isStatusWritten())
          .append(",\"halted\":").append(s.isHalted()).append('}');
      first = false;
    }
    return out.append("]}").toString();
  }

  private ClientFactory clientFactory(SecureRandom random) {
    byte[] root = config.waRootKey();
    CertificateVerifier verifier = root == null ? RootKeyCertificateVerifier.whatsApp(clock)
        : RootKeyCertificateVerifier.forRoot(root);
    return (auth, listener) -> WaClient.builder(auth).serverUri(config.waEndpoint()).certificateVerifier(verifier)
        .okHttpClient(http).executor(clientPool).scheduler(timer).clock(clock).random(random)
        .connectTimeout(config.connectTimeout())
        .keepAliveInterval(config.keepAliveInterval()).keepAliveTimeout(config.keepAliveTimeout())
        .listener(listener).build();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
