package io.wafleet.functions.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.schema.FirestoreSchema;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.AlertStateStore;
import io.wafleet.common.store.HeartbeatStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.functions.monitor.ConditionAlerts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Missed heartbeats, low coverage and queue depth over the emulator (heartbeats and outbox items
 * written through their stores), with the real telegrambots client against the local fake Bot API.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConditionAlertsIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String TOKEN = "123456:TEST-token";
  /** The run's minute; the hour it judges is [09:00, 10:00). */
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:20Z");
  private static final Instant HOUR_START = Instant.parse("2026-11-23T09:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock = new ManualClock(NOW);
  private FakeTelegramServer telegram;
  private Firestore db;
  private HeartbeatStore heartbeats;
  private OutboxStore outbox;
  private ConditionAlerts conditions;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new FakeTelegramServer();
    db = FIRESTORE.firestore();
    heartbeats = new HeartbeatStore(db);
    outbox = new OutboxStore(db, clock);
    Alerter alerter = new Alerter(new AlertStateStore(db, clock), new TelegramChannel(telegram.url(), TOKEN, "-1"),
        Alerter.DEFAULT_THROTTLE, clock);
    conditions = new ConditionAlerts(heartbeats, outbox, alerter, clock);
  }

  @AfterEach
  void tearDown() {
    telegram.close();
  }

  /** Heartbeats for every minute of [from, to) except the given minutes after HOUR_START. */
  private void beats(Instant from, Instant to, Set<Integer> skippedMinutesOfTheHour) {
    for (Instant m = from; m.isBefore(to); m = m.plusSeconds(60)) {
      int minute = (int) Duration.between(HOUR_START, m).toMinutes();
      if (!skippedMinutesOfTheHour.contains(minute)) {
        heartbeats.store(new Heartbeat(m, 1, Map.of("CONNECTED", 1L), 0, 500, m.plusMillis(500)));
      }
    }
  }

  private IncidentAlerts.Sent runAt(Instant at) {
    clock.set(at);
    return conditions.run();
  }

  private List<String> texts() throws Exception {
    List<String> out = new ArrayList<>();
    for (FakeTelegramServer.Received r : telegram.received()) {
      assertEquals("/bot" + TOKEN + "/sendmessage", r.path());
      out.add(JSON.readTree(r.body()).path("text").asText());
    }
    return out;
  }

  @Test
  void fourMissedMinutes_alertMissedHeartbeatsOnly_onceAnHour_andRecoverWhenTheHourIsWhole() throws Exception {
    beats(HOUR_START.minus(Duration.ofHours(1)), HOUR_START.plus(Duration.ofHours(1)), Set.of(10, 11, 12, 40));
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runAt(NOW));
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), runAt(NOW.plusSeconds(20)), "a doubled run");
    assertEquals("[wafleet] missed-heartbeats: the fleet\n"
        + "4 minutes without a heartbeat in the last 60 minutes (more than 3); gaps 09:10-09:13 UTC, 09:40-09:41 UTC\n"
        + "Since 2026-11-23 09:10 UTC (50 min)\n"
        + "Next step: " + AlertType.MISSED_HEARTBEATS.runbookStep(), texts().get(0));

    // An hour later the gaps have left the window and every minute since has its heartbeat.
    beats(HOUR_START.plus(Duration.ofHours(1)), HOUR_START.plus(Duration.ofHours(2)), Set.of());
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 1), runAt(NOW.plus(Duration.ofHours(1))));
    assertEquals(IncidentAlerts.Sent.NONE, runAt(NOW.plus(Duration.ofHours(1)).plusSeconds(10)));
    assertEquals(List.of("[wafleet] RECOVERED missed-heartbeats: the fleet\n"
        + "Back after 110 min (since 2026-11-23 09:10 UTC)."), texts().subList(1, texts().size()));
  }

  @Test
  void thirteenMissedMinutes_alsoAlertLowCoverage() throws Exception {
    Set<Integer> skipped = new java.util.HashSet<>();
    for (int m = 20; m < 33; m++) {
      skipped.add(m);
    }
    beats(HOUR_START.minus(Duration.ofHours(1)), HOUR_START.plus(Duration.ofHours(1)), skipped);
    assertEquals(new IncidentAlerts.Sent(2, 0, 0, 0), runAt(NOW));
    assertEquals("[wafleet] low-coverage: the fleet\n"
        + "heartbeat coverage 78.3 % over the last 60 minutes (under 80 %)\n"
        + "Since 2026-11-23 09:20 UTC (40 min)\n"
        + "Next step: " + AlertType.LOW_COVERAGE.runbookStep(), texts().get(1));
  }

  @Test
  void aFreshDeployment_doesNotCountTheMinutesBeforeItsFirstHeartbeat() throws Exception {
    assertEquals(IncidentAlerts.Sent.NONE, runAt(NOW), "no heartbeat ever: nothing to judge");
    beats(NOW.minus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES),
        NOW.truncatedTo(java.time.temporal.ChronoUnit.MINUTES), Set.of());
    assertEquals(IncidentAlerts.Sent.NONE, runAt(NOW));
    assertEquals(List.of(), telegram.received());
  }

  @Test
  void queueDepthOver100_alertsWithTheOldestItem_andRecoversWhenItDrains() throws Exception {
    new AccountStore(db, clock).create(Account.newAccount("shop-1", "Shop", "+40700000001", NOW.minus(Duration.ofDays(1))));
    Instant firstQueued = Instant.parse("2026-11-23T09:45:00Z");
    for (int i = 0; i < 100; i++) {
      clock.set(firstQueued.plusSeconds(i));
      outbox.enqueue(OutboxItem.queued("m-" + i, "shop-1", "+40711111111", "hello " + i, clock.instant()));
    }
    assertEquals(IncidentAlerts.Sent.NONE, runAt(NOW), "100 is not more than 100");
    clock.set(NOW);
    outbox.enqueue(OutboxItem.queued("m-100", "shop-1", "+40711111111", "hello", clock.instant()));
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runAt(NOW.plusSeconds(30)));
    assertEquals("[wafleet] queue-depth: the fleet\n"
        + "101 messages QUEUED in the outbox (more than 100); the time below is when the oldest was queued\n"
        + "Since 2026-11-23 09:45 UTC (15 min)\n"
        + "Next step: " + AlertType.QUEUE_DEPTH.runbookStep(), texts().get(0));

    // The connector sends the oldest: it leaves QUEUED.
    db.collection(FirestoreSchema.OUTBOX).document("m-0").update("status", "SENT").get();
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 1), runAt(NOW.plus(Duration.ofMinutes(5))));
    assertEquals(IncidentAlerts.Sent.NONE, runAt(NOW.plus(Duration.ofMinutes(6))));
    assertEquals("[wafleet] RECOVERED queue-depth: the fleet\nBack after 20 min (since 2026-11-23 09:45 UTC).",
        texts().get(1));
    assertEquals(2, texts().size());
  }
}
