package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.wafleet.client.model.MessageId;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.ChatThread;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.schema.FirestoreSchema;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.testing.InProcessPairing;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly once under kill -9. Ten paired accounts held by two connector processes ({@code
 * ConnectorMain} in child JVMs, short leases, pacing at its maximum); the test queues N texts
 * through the outbox (as {@code POST /v1/messages} writes them) and has the simulated customer phones
 * send N texts to the accounts (N = 200 in CI, 1,000 through {@code ./wafleet chaos}), interleaved,
 * while a connector holding accounts is killed with kill -9 at random moments (progress points drawn
 * from a seeded {@link Random}; the seed is printed) at least three times, each replaced at once by
 * a new process. Then: every outbox item is
 * SENT or DELIVERED, each text reached its phone exactly once (the phone's inbox keeps one entry
 * per sender and id, as a phone drops an id it has seen; a second entry with the same text would
 * be a second message), and every inbound text is stored exactly once under its WhatsApp id with
 * the thread's unread counter equal to the inbound messages stored. Duplicates absorbed on the way
 * (phones dropping a resent id, redeliveries stored idempotently) are counted and printed.
 *
 * <p>System properties (for {@code ./wafleet chaos}): {@code wafleet.chaos.messages} (each way,
 * default 200), {@code wafleet.chaos.kills} (default 4), {@code wafleet.chaos.seed}. The figures
 * go to the test's output; its last line starts with {@code chaos-result} and is one JSON object.
 * The processes' logs stay under target/connector-processes/.
 */
// Under Surefire's 30-minute limit on a test JVM (forkedProcessTimeoutInSeconds in the parent pom).
@Timeout(1750)
class ConnectorChaosIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final int ACCOUNTS = 10;
  /**
   * Messages each way in a plain test run. 1,000 each way takes about 20 minutes on the project's
   * loaded 2-core machine, too long for every CI run; {@code ./wafleet chaos} runs 1,000.
   */
  private static final int CI_MESSAGES = 200;
  private static final int KEY_FILL = 9;
  private static final Duration STEP = Duration.ofSeconds(120);
  private static final Duration DRAIN = Duration.ofMinutes(15);
  private static final Duration PROGRESS_POLL = Duration.ofMillis(250);
  private static final Duration DRAIN_POLL = Duration.ofSeconds(1);

  private final int messages = Integer.getInteger("wafleet.chaos.messages", CI_MESSAGES);
  private final int kills = Integer.getInteger("wafleet.chaos.kills", 4);
  private final long seed = Long.getLong("wafleet.chaos.seed", System.nanoTime());

  private WaSimulator simulator;
  private SimulatorAdminClient admin;
  private AccountStore accounts;
  private OutboxStore outbox;
  private MessageStore threads;
  private final Map<String, String> phoneOf = new LinkedHashMap<>();
  private final Map<String, String> peerOf = new LinkedHashMap<>();
  private final List<String> ids = new ArrayList<>();
  /** Per customer phone, how many inbox entries the progress poll has seen (entries only grow). */
  private final Map<String, Integer> inboxSeen = new java.util.HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    Clock clock = Clock.systemUTC();
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
    outbox = new OutboxStore(FIRESTORE.firestore(), clock);
    threads = new MessageStore(FIRESTORE.firestore(), clock);
    for (int i = 0; i < ACCOUNTS; i++) {
      String id = String.format("chaos-%02d", i);
      String phone = String.format("407005000%02d", i);
      String peer = String.format("407006000%02d", i);
      admin.createPhone(phone);
      admin.createPhone(peer);
      accounts.create(Account.newAccount(id, "shop " + i, "+" + phone, clock.instant()));
      ids.add(id);
      phoneOf.put(id, phone);
      peerOf.put(id, peer);
    }
  }

  @AfterEach
  void tearDown() {
    simulator.close();
  }

  @Test
  void thousandsOfMessagesBothWays_whileConnectorsAreKilled9_eachStoredOrDeliveredExactlyOnce() throws Exception {
    System.out.printf("chaos: seed=%d messages=%d each way, kills=%d, accounts=%d%n", seed, messages, kills,
        ACCOUNTS);
    Random random = new Random(seed);
    long t0 = System.nanoTime();
    ChaosFleet fleet = new ChaosFleet(simulator, FIRESTORE);
    ExecutorService producerThread = Executors.newSingleThreadExecutor();
    try (InProcessPairing pairing = new InProcessPairing(FIRESTORE, simulator, KEY_FILL)) {
      pairing.pairAll(phoneOf, STEP);
      fleet.start();
      fleet.start();
      fleet.awaitBootRestoreDone(STEP);
      pairing.giveUp();
      awaitAllConnected();
      long pairedAt = System.nanoTime();
      System.out.printf("chaos: %d accounts paired and CONNECTED on %s after %d s%n", ACCOUNTS, fleet.owners(
          accounts, ids), secondsSince(t0));

      Traffic traffic = new Traffic(random.nextLong());
      Future<?> producing = producerThread.submit(traffic::produce);
      int total = 2 * messages;
      List<Integer> killAt = new ArrayList<>();
      for (int k = 0; k < kills; k++) {
        killAt.add(total * 5 / 100 + random.nextInt(total * 80 / 100));
      }
      killAt.sort(null);
      for (int k = 0; k < kills; k++) {
        int at = killAt.get(k);
        Waits.until("progress " + at + " of " + total + " before kill " + (k + 1), DRAIN, PROGRESS_POLL, () -> {
          fleet.replaceExited();
          return progress();
        }, p -> p >= at, p -> p + " (texts at the phones plus inbound stored)");
        fleet.killOneHoldingAccounts(random, accounts, ids, progress(), STEP);
      }
      producing.get(DRAIN.toSeconds(), TimeUnit.SECONDS);
      long producedAt = System.nanoTime();
      System.out.printf("chaos: all %d + %d messages queued/sent by the test %d s after pairing%n", messages,
          messages, (producedAt - pairedAt) / 1_000_000_000L);

      Waits.until("every outbox item SENT or DELIVERED and every inbound text stored", DRAIN, DRAIN_POLL, () -> {
        fleet.replaceExited();
        return new long[] {done(), progressInbound()};
      }, c -> c[0] >= messages && c[1] >= messages, c -> "outbox done " + c[0] + ", inbound stored " + c[1]
          + ", statuses " + statusCounts());
      long drainedAt = System.nanoTime();
      System.out.printf("chaos: drained %d s after the last message was queued; %d s from pairing%n",
          (drainedAt - producedAt) / 1_000_000_000L, (drainedAt - pairedAt) / 1_000_000_000L);

      Report report = new Report();
      checkOutbound(traffic, report);
      checkInbound(traffic, report);
      JsonNode stats = admin.stats();
      report.figure("seed", seed);
      report.figure("messagesEachWay", messages);
      report.figure("kills", fleet.kills());
      report.figure("selfExits", fleet.selfExits());
      report.figure("processesStarted", fleet.started());
      report.figure("wireDuplicatesDroppedByPhones", stats.path("phoneDuplicatesDropped").asLong());
      report.figure("messagesRedeliveredAtLogin", stats.path("messagesRedelivered").asLong());
      report.figure("inboundRedeliveriesStoredOnce", fleet.countInLogs("new=false"));
      report.figure("outboxResentAfterCrash", fleet.countInLogs("left in SENDING, resending under the same id"));
      report.figure("sessionsReplaced", stats.path("sessionsReplaced").asLong());
      report.figure("secondsPairing", (pairedAt - t0) / 1_000_000_000L);
      report.figure("secondsTraffic", (drainedAt - pairedAt) / 1_000_000_000L);
      report.print();
      assertTrue(report.problems.isEmpty(), "not exactly once (seed " + seed + "):\n"
          + String.join("\n", report.problems));
      assertTrue(fleet.kills() >= 3, "at least three kills: " + fleet.kills());
    } finally {
      producerThread.shutdownNow();
      fleet.close();
    }
  }

  /** The test's own traffic: outbox items as the API writes them and texts from the customers' phones. */
  private final class Traffic {
    private final Random order;
    /** Inbound WhatsApp id (the simulator's) to the text the phone sent. */
    final Map<String, String> inbound = new ConcurrentHashMap<>();

    Traffic(long seed) {
      this.order = new Random(seed);
    }

    void produce() {
      try {
        for (int n = 0; n < messages; n++) {
          boolean outFirst = order.nextBoolean();
          if (outFirst) {
            enqueue(n);
          }
          String account = ids.get(n % ACCOUNTS);
          String text = inboundText(n);
          inbound.put(admin.send(peerOf.get(account), phoneOf.get(account) + "@s.whatsapp.net", text), text);
          if (!outFirst) {
            enqueue(n);
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private void enqueue(int n) {
      String account = ids.get(n % ACCOUNTS);
      outbox.enqueue(OutboxItem.queued(outboxId(n), account, peerOf.get(account) + "@s.whatsapp.net",
          outboundText(n), Clock.systemUTC().instant()));
    }
  }

  private static String outboxId(int n) {
    return String.format("chaos-out-%04d", n);
  }

  private static String outboundText(int n) {
    return String.format("order %04d shipped", n);
  }

  private static String inboundText(int n) {
    return String.format("customer question %04d", n);
  }

  // ---- checks ----

  private void checkOutbound(Traffic traffic, Report report) throws Exception {
    Map<OutboxStatus, Integer> statuses = new java.util.EnumMap<>(OutboxStatus.class);
    int resent = 0;
    for (int n = 0; n < messages; n++) {
      OutboxItem item = outbox.load(outboxId(n)).orElse(null);
      if (item == null) {
        report.problem("outbox item missing: " + outboxId(n));
        continue;
      }
      statuses.merge(item.status(), 1, Integer::sum);
      resent += item.attempts() > 1 ? 1 : 0;
      if (item.status() != OutboxStatus.SENT && item.status() != OutboxStatus.DELIVERED
          && item.status() != OutboxStatus.READ) {
        report.problem("outbox item " + item.id() + " is " + item.status() + " error=" + item.error());
      }
      if (!MessageId.derivedFrom(item.id()).value().equals(item.waMessageId())) {
        report.problem("outbox item " + item.id() + " sent under " + item.waMessageId());
      }
    }
    report.figure("outboxStatuses", statuses.toString());
    report.figure("outboxItemsWithMoreThanOneAttempt", resent);
    int atPhones = 0;
    for (int a = 0; a < ACCOUNTS; a++) {
      String account = ids.get(a);
      Map<String, List<JsonNode>> byText = new LinkedHashMap<>();
      for (JsonNode entry : admin.inbox(peerOf.get(account))) {
        if (entry.hasNonNull("error")) {
          report.problem("phone " + a + " could not decrypt id=" + entry.path("id").asText() + ": "
              + entry.path("error").asText());
          continue;
        }
        byText.computeIfAbsent(entry.path("text").asText(), t -> new ArrayList<>()).add(entry);
      }
      for (int n = a; n < messages; n += ACCOUNTS) {
        List<JsonNode> got = byText.remove(outboundText(n));
        String expectedId = MessageId.derivedFrom(outboxId(n)).value();
        if (got == null) {
          report.problem("never reached the phone: " + outboxId(n) + " (id " + expectedId + ")");
        } else if (got.size() > 1) {
          report.problem("reached the phone " + got.size() + " times: " + outboxId(n) + " ids="
              + got.stream().map(e -> e.path("id").asText() + " from " + e.path("from").asText()).toList());
        } else if (!got.get(0).path("id").asText().equals(expectedId)) {
          report.problem(outboxId(n) + " reached the phone under id " + got.get(0).path("id").asText());
        } else {
          atPhones++;
        }
      }
      String peer = "phone of " + account;
      byText.forEach((text, got) -> report.problem(peer + " got a text nobody queued: " + text));
    }
    report.figure("outboundAtPhonesExactlyOnce", atPhones);
  }

  private void checkInbound(Traffic traffic, Report report) throws Exception {
    Firestore db = FIRESTORE.firestore();
    int storedOnce = 0;
    int outboundCopies = 0;
    for (int a = 0; a < ACCOUNTS; a++) {
      String account = ids.get(a);
      String threadId = ChatThread.idFor(account, peerOf.get(account) + "@s.whatsapp.net");
      Map<String, String> inboundStored = new LinkedHashMap<>();
      for (QueryDocumentSnapshot d : db.collection(FirestoreSchema.THREADS).document(threadId)
          .collection(FirestoreSchema.MESSAGES).get().get(60, TimeUnit.SECONDS).getDocuments()) {
        if ("INBOUND".equals(d.getString(FirestoreSchema.ThreadFields.DIRECTION))) {
          inboundStored.put(d.getId(), d.getString(FirestoreSchema.ThreadFields.TEXT));
        } else {
          outboundCopies++;
        }
      }
      Map<String, List<String>> idsByText = new LinkedHashMap<>();
      inboundStored.forEach((id, text) -> idsByText.computeIfAbsent(text, t -> new ArrayList<>()).add(id));
      for (int n = a; n < messages; n += ACCOUNTS) {
        String text = inboundText(n);
        List<String> stored = idsByText.remove(text);
        if (stored == null) {
          report.problem("inbound never stored: account " + account + " text '" + text + "' id="
              + idOf(traffic, text));
        } else if (stored.size() > 1) {
          report.problem("inbound stored " + stored.size() + " times: '" + text + "' ids=" + stored);
        } else if (!stored.get(0).equals(idOf(traffic, text))) {
          report.problem("inbound '" + text + "' stored under " + stored.get(0) + ", sent as " + idOf(traffic, text));
        } else {
          storedOnce++;
        }
      }
      idsByText.forEach((text, stored) -> report.problem("stored inbound nobody sent: '" + text + "' " + stored));
      long unread = threads.loadThread(threadId).map(ChatThread::unread).orElse(0L);
      if (unread != inboundStored.size()) {
        report.problem("thread " + threadId + " unread=" + unread + " but " + inboundStored.size()
            + " inbound messages stored");
      }
    }
    report.figure("inboundStoredExactlyOnce", storedOnce);
    report.figure("outboundCopiesInThreads", outboundCopies);
    if (outboundCopies != messages) {
      report.problem("outbound copies in the threads: " + outboundCopies + ", expected " + messages);
    }
  }

  private static String idOf(Traffic traffic, String text) {
    return traffic.inbound.entrySet().stream().filter(e -> e.getValue().equals(text)).map(Map.Entry::getKey)
        .findFirst().orElse("(send not answered)");
  }

  /** Problems (each a line naming the ids) and figures, printed with a machine-readable last line. */
  private static final class Report {
    final List<String> problems = new ArrayList<>();
    final Map<String, Object> figures = new LinkedHashMap<>();

    void problem(String line) {
      problems.add(line);
    }

    void figure(String name, Object value) {
      figures.put(name, value);
    }

    void print() {
      problems.stream().limit(200).forEach(p -> System.out.println("chaos: PROBLEM " + p));
      figures.forEach((k, v) -> System.out.println("chaos: " + k + " = " + v));
      StringBuilder json = new StringBuilder("{\"result\":\"" + (problems.isEmpty() ? "pass" : "fail") + "\"");
      json.append(",\"problems\":").append(problems.size());
      figures.forEach((k, v) -> json.append(",\"").append(k).append("\":")
          .append(v instanceof Number ? v.toString() : "\"" + v + "\""));
      System.out.println("chaos-result " + json.append('}'));
    }
  }

  // ---- progress ----

  /** Texts at the customers' phones plus inbound messages stored (each thread's unread counter). */
  private int progress() throws Exception {
    int atPhones = 0;
    for (String account : ids) {
      String peer = peerOf.get(account);
      int seen = inboxSeen.getOrDefault(peer, 0) + admin.inbox(peer, inboxSeen.getOrDefault(peer, 0)).size();
      inboxSeen.put(peer, seen);
      atPhones += seen;
    }
    return atPhones + (int) progressInbound();
  }

  /** The unread counters of the accounts' threads with their customers, in one batch read. */
  private long progressInbound() throws Exception {
    List<com.google.cloud.firestore.DocumentReference> refs = ids.stream().map(account -> FIRESTORE.firestore()
        .collection(FirestoreSchema.THREADS).document(ChatThread.idFor(account, peerOf.get(account)
            + "@s.whatsapp.net"))).toList();
    long stored = 0;
    for (var snapshot : FIRESTORE.firestore().getAll(refs.toArray(new com.google.cloud.firestore.DocumentReference[0]))
        .get(60, TimeUnit.SECONDS)) {
      Long unread = snapshot.exists() ? snapshot.getLong(FirestoreSchema.ThreadFields.UNREAD) : null;
      stored += unread == null ? 0 : unread;
    }
    return stored;
  }

  private long done() {
    return outbox.countByStatus(OutboxStatus.SENT) + outbox.countByStatus(OutboxStatus.DELIVERED)
        + outbox.countByStatus(OutboxStatus.READ);
  }

  private String statusCounts() {
    Map<OutboxStatus, Long> counts = new java.util.EnumMap<>(OutboxStatus.class);
    for (OutboxStatus s : OutboxStatus.values()) {
      counts.put(s, outbox.countByStatus(s));
    }
    return counts.toString();
  }

  private void awaitAllConnected() {
    Waits.until("every account CONNECTED on a connector process", STEP,
        () -> ids.stream().map(id -> accounts.load(id).orElseThrow()).toList(),
        all -> all.stream().allMatch(a -> a.status() == AccountStatus.CONNECTED && a.owner() != null
            && !a.owner().instanceId().equals(InProcessPairing.INSTANCE)),
        all -> all.stream().map(a -> a.id() + "=" + a.status() + "@" + (a.owner() == null ? "-"
            : a.owner().instanceId())).toList().toString());
  }

  private static long secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000_000L;
  }
}
