package io.wafleet.connector.bench;

import io.wafleet.client.WaClient;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.LoggedOut;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.transport.CertificateVerifier;
import io.wafleet.client.transport.RootKeyCertificateVerifier;
import io.wafleet.common.crypto.BlobCipher;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.Firestores;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.SessionStore;
import io.wafleet.connector.app.ConnectorConfig;
import io.wafleet.connector.auth.FirestoreAuthState;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark-only: N paired accounts in the local stack's Firestore, in minutes instead of hours,
 * for {@code ./wafleet bench mttr}. Never part of the connector's runtime (test sources only).
 *
 * <p>For each account, as a person and the connector would do it: the simulated phone is created,
 * the account document is written (owned by a seeding owner), a wa-client with the connector's own
 * {@link FirestoreAuthState} shows a QR, the phone scans it (the simulator's admin API), the client
 * logs in after the pairing's restart and uploads its pre-keys (812 unless {@code --pre-keys}),
 * every credential and key written encrypted through {@link SessionStore} exactly as the connector
 * writes them. Then the account is marked CONNECTED (as a killed connector leaves it) and released,
 * so the first connector claims it at once. Many accounts pair at the same time ({@code --parallel}).
 *
 * <p>Environment: the connector's own ({@code FIRESTORE_EMULATOR_HOST}, {@code GOOGLE_CLOUD_PROJECT},
 * {@code WAFLEET_WA_ENDPOINT}, {@code WAFLEET_WA_ROOT_KEY}, {@code WAFLEET_SESSION_KEYS}) plus
 * {@code WAFLEET_SIMULATOR_ADMIN_URL}. Arguments: {@code --accounts N --ids FILE [--parallel P]
 * [--pre-keys K] [--phone-prefix DIGITS]}. Writes the account ids to FILE, one a line. Last line:
 * {@code seed accounts=N parallel=P pre_keys=K seconds=S}. Exit 1 when any account failed.
 */
public final class SeedAccounts {

  private static final String SEED_INSTANCE = "bench-seed";
  private static final Duration STEP = Duration.ofSeconds(120);

  private final ConnectorConfig config;
  private final SimulatorAdminClient admin;
  private final AccountStore accounts;
  private final SessionStore sessions;
  private final LeaseStore leases;
  private final CertificateVerifier verifier;
  private final SecureRandom random = new SecureRandom();
  private final int preKeys;

  private SeedAccounts(ConnectorConfig config, URI simAdmin, int preKeys) {
    this.config = config;
    this.preKeys = preKeys;
    var firestore = Firestores.connect(config.projectId(), config.emulatorHost());
    Clock clock = Clock.systemUTC();
    admin = new SimulatorAdminClient(simAdmin);
    accounts = new AccountStore(firestore, clock);
    sessions = new SessionStore(firestore, new BlobCipher(config.sessionKeys()), clock);
    leases = new LeaseStore(firestore, clock, config.leaseSkew());
    byte[] root = config.waRootKey();
    verifier = root == null ? RootKeyCertificateVerifier.whatsApp(clock) : RootKeyCertificateVerifier.forRoot(root);
  }

  public static void main(String[] args) throws Exception {
    int count = 0;
    int parallel = 16;
    int preKeys = 812;
    String prefix = "4076";
    Path ids = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--accounts" -> count = intIn("--accounts", value, 1, 10_000);
        case "--parallel" -> parallel = intIn("--parallel", value, 1, 256);
        case "--pre-keys" -> preKeys = intIn("--pre-keys", value, 1, 812);
        case "--phone-prefix" -> prefix = requireDigits(value);
        case "--ids" -> ids = Path.of(require("--ids", value));
        default -> usage("unknown argument " + args[i]);
      }
      i++;
    }
    if (count == 0 || ids == null) {
      usage("--accounts and --ids are required");
    }
    var env = new HashMap<>(System.getenv());
    env.putIfAbsent("WAFLEET_INSTANCE_ID", SEED_INSTANCE);
    ConnectorConfig config = ConnectorConfig.fromEnv(env);
    String simAdmin = System.getenv("WAFLEET_SIMULATOR_ADMIN_URL");
    if (simAdmin == null || simAdmin.isBlank()) {
      usage("WAFLEET_SIMULATOR_ADMIN_URL is required");
    }
    System.exit(new SeedAccounts(config, URI.create(simAdmin), preKeys).run(count, parallel, prefix, ids));
  }

  private int run(int count, int parallel, String prefix, Path idsFile) throws Exception {
    long began = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "seed");
      t.setDaemon(true);
      return t;
    });
    List<Future<String>> results = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    for (int i = 1; i <= count; i++) {
      String phone = prefix + String.format(Locale.ROOT, "%07d", i);
      String id = String.format(Locale.ROOT, "bench%05d", i);
      results.add(pool.submit(() -> {
        seedOne(id, phone);
        int n = done.incrementAndGet();
        if (n % 50 == 0 || n == count) {
          System.err.printf(Locale.ROOT, "[seed] %d/%d paired and stored (%.0f s)%n", n, count,
              (System.nanoTime() - began) / 1e9);
        }
        return id;
      }));
    }
    List<String> seeded = new ArrayList<>();
    int failed = 0;
    for (Future<String> result : results) {
      try {
        seeded.add(result.get());
      } catch (java.util.concurrent.ExecutionException e) {
        failed++;
        System.err.println("[seed] failed: " + e.getCause());
      }
    }
    pool.shutdownNow();
    Files.write(idsFile, seeded);
    double seconds = (System.nanoTime() - began) / 1e9;
    System.out.printf(Locale.ROOT, "seed accounts=%d failed=%d parallel=%d pre_keys=%d seconds=%.1f%n",
        seeded.size(), failed, parallel, preKeys, seconds);
    return failed == 0 ? 0 : 1;
  }

  /** One account, paired and stored as the connector would; throws when any step fails. */
  private void seedOne(String id, String phone) throws Exception {
    admin.ensurePhone(phone);
    Owner owner = new Owner(SEED_INSTANCE, 1);
    Instant now = Instant.now();
    accounts.create(Account.newAccount(id, "bench " + id, "+" + phone, now).toBuilder().owner(owner).build());
    FirestoreAuthState auth = FirestoreAuthState.fresh(sessions, id, owner, fenced -> { }, random);
    BlockingQueue<WaEvent> events = new LinkedBlockingQueue<>();
    WaClient client = WaClient.builder(auth).serverUri(config.waEndpoint()).certificateVerifier(verifier)
        .initialPreKeyCount(preKeys).listener(events::add).build();
    try {
      client.connect();
      admin.scan(phone, next(events, QrCodeUpdated.class).qr());
      next(events, PairSuccess.class);
      Disconnected restart = next(events, Disconnected.class);
      if (restart.reason() != DisconnectReason.RESTART_REQUIRED) {
        throw new IllegalStateException("pairing of " + id + " ended with " + restart.reason());
      }
      client.connect();
      next(events, Connected.class);
      if (auth.credentials().firstUnuploadedPreKeyId() <= 1) {
        throw new IllegalStateException("pre-keys of " + id + " were not uploaded");
      }
    } finally {
      client.close();
    }
    Instant connected = Instant.now();
    accounts.updateAsOwner(id, owner, a -> a.toBuilder().status(AccountStatus.CONNECTED).qr(null)
        .connectedAt(connected).lastEventAt(connected).build());
    if (!leases.releaseAccount(id, owner)) {
      throw new IllegalStateException("account " + id + " could not be released");
    }
  }

  private static <T extends WaEvent> T next(BlockingQueue<WaEvent> events, Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      WaEvent event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new IllegalStateException("no " + type.getSimpleName() + " within " + STEP);
      }
      if (type.isInstance(event)) {
        return type.cast(event);
      }
      if (event instanceof LoggedOut || event instanceof Disconnected && type != Disconnected.class) {
        throw new IllegalStateException("expected " + type.getSimpleName() + ", got " + event);
      }
    }
  }

  private static int intIn(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(require(name, value));
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    usage(name + " must be a number from " + min + " to " + max);
    return 0;
  }

  private static String requireDigits(String value) {
    if (value == null || !value.matches("[0-9]{2,8}")) {
      usage("--phone-prefix must be 2-8 digits");
    }
    return value;
  }

  private static String require(String name, String value) {
    if (value == null) {
      usage(name + " needs a value");
    }
    return value;
  }

  private static void usage(String why) {
    System.err.println("seed: " + why);
    System.err.println("usage: SeedAccounts --accounts N --ids FILE [--parallel P] [--pre-keys K] [--phone-prefix DIGITS]");
    System.exit(2);
  }
}
