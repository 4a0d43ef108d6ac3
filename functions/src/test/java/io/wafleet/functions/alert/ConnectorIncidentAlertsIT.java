package io.wafleet.functions.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentType;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.AlertStateStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts for the incidents the connector owns, written here through IncidentStore exactly as the
 * connector writes them (deterministic ids, subject = account id), over the emulator; the real
 * telegrambots client against the local fake Bot API, whose received requests are asserted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectorIncidentAlertsIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String TOKEN = "123456:TEST-token";
  private static final String CHAT = "-100123";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock = new ManualClock(T0);
  private FakeTelegramServer telegram;
  private IncidentStore connectorSide;
  private ConnectorIncidentAlerts job;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new FakeTelegramServer();
    Firestore db = FIRESTORE.firestore();
    AccountStore accounts = new AccountStore(db, clock);
    connectorSide = new IncidentStore(db, clock);
    Alerter alerter = new Alerter(new AlertStateStore(db, clock), new TelegramChannel(telegram.url(), TOKEN, CHAT),
        Alerter.DEFAULT_THROTTLE, clock);
    job = new ConnectorIncidentAlerts(new IncidentStore(db, clock), new IncidentAlerts(alerter, accounts), alerter, clock);
    for (int n = 1; n <= 3; n++) {
      accounts.create(Account.newAccount("shop-" + n, "Shop " + n, "+4070000000" + n, T0.minus(Duration.ofDays(1))));
    }
  }

  @AfterEach
  void tearDown() {
    telegram.close();
  }

  private IncidentAlerts.Sent runAt(Duration sinceT0) {
    clock.set(T0.plus(sinceT0));
    return job.run();
  }

  private void connectorOpens(IncidentType type, String account, String detail, Duration at) {
    clock.set(T0.plus(at));
    connectorSide.openOrTouch(type.wireName(), account, detail, clock.instant());
  }

  private void connectorResolves(IncidentType type, String account, Duration at) {
    clock.set(T0.plus(at));
    connectorSide.resolve(Incident.activeId(type.wireName(), account), "reconnected");
  }

  private List<String> texts() throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (FakeTelegramServer.Received r : telegram.received()) {
      assertEquals("POST", r.method());
      assertEquals("/bot" + TOKEN + "/sendmessage", r.path());
      assertEquals(CHAT, JSON.readTree(r.body()).path("chat_id").asText());
      assertFalse(r.body().contains("+4070000000"), r.body());
      out.add(JSON.readTree(r.body()).path("text").asText());
    }
    return out;
  }

  @Test
  void loggedOut_alertsOncePerHour_thenOneRecoveryAfterTheConnectorResolvesIt() throws Exception {
    connectorOpens(IncidentType.LOGGED_OUT, "shop-1", "WhatsApp logged the device out (wa-logged-out)", Duration.ZERO);
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runAt(Duration.ofMinutes(1)));
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), runAt(Duration.ofMinutes(2)));
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), runAt(Duration.ofMinutes(2)));
    connectorResolves(IncidentType.LOGGED_OUT, "shop-1", Duration.ofMinutes(30));
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 1), runAt(Duration.ofMinutes(31)));
    assertEquals(IncidentAlerts.Sent.NONE, runAt(Duration.ofMinutes(31)), "a doubled run");
    assertEquals(IncidentAlerts.Sent.NONE, runAt(Duration.ofMinutes(40)));

    assertEquals(List.of(
        "[wafleet] logged-out: account shop-1 \"Shop 1\" (+*******0001)\n"
            + "WhatsApp logged the device out (wa-logged-out)\n"
            + "Since 2026-11-23 10:00 UTC (1 min)\n"
            + "Next step: Pair the account again (QR on the dashboard); see docs/runbook.md#logged-out.",
        "[wafleet] RECOVERED logged-out: account shop-1 \"Shop 1\" (+*******0001)\n"
            + "Back after 30 min (since 2026-11-23 10:00 UTC)."), texts());
  }

  @Test
  void reconnectLoopAndPhoneOffline_alertPerAccount_withTheirRunbookSteps() throws Exception {
    connectorOpens(IncidentType.RECONNECT_LOOP, "shop-2", "7 reconnects in the last hour (more than 5)", Duration.ZERO);
    connectorOpens(IncidentType.PHONE_OFFLINE, "shop-3", "the phone has not been online for 14 days",
        Duration.ofMinutes(1));
    assertEquals(new IncidentAlerts.Sent(2, 0, 0, 0), runAt(Duration.ofMinutes(5)));
    assertEquals(new IncidentAlerts.Sent(0, 2, 0, 0), runAt(Duration.ofMinutes(64)));
    assertEquals(new IncidentAlerts.Sent(2, 0, 0, 0), runAt(Duration.ofMinutes(66)), "again after the hour");
    assertEquals(List.of(
        "[wafleet] reconnect-loop: account shop-2 \"Shop 2\" (+*******0002)\n"
            + "7 reconnects in the last hour (more than 5)\n"
            + "Since 2026-11-23 10:00 UTC (5 min)\n"
            + "Next step: " + AlertType.RECONNECT_LOOP.runbookStep(),
        "[wafleet] phone-offline: account shop-3 \"Shop 3\" (+*******0003)\n"
            + "the phone has not been online for 14 days\n"
            + "Since 2026-11-23 10:01 UTC (4 min)\n"
            + "Next step: " + AlertType.PHONE_OFFLINE.runbookStep()), texts().subList(0, 2));
    assertEquals(4, texts().size());
  }

  @Test
  void anIncidentResolvedBeforeAnyRunSawIt_sendsNeitherAlertNorRecovery() throws Exception {
    connectorOpens(IncidentType.RECONNECT_LOOP, "shop-2", "6 reconnects in the last hour (more than 5)", Duration.ZERO);
    connectorResolves(IncidentType.RECONNECT_LOOP, "shop-2", Duration.ofSeconds(30));
    assertEquals(IncidentAlerts.Sent.NONE, runAt(Duration.ofMinutes(1)));
    assertEquals(List.of(), telegram.received());
  }

  @Test
  void aFailedRecovery_isSentByTheNextRun_once() throws Exception {
    connectorOpens(IncidentType.PHONE_OFFLINE, "shop-3", "the phone has not been online for 14 days", Duration.ZERO);
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runAt(Duration.ofMinutes(1)));
    connectorResolves(IncidentType.PHONE_OFFLINE, "shop-3", Duration.ofMinutes(9));
    telegram.failNext.set(1);
    assertEquals(new IncidentAlerts.Sent(0, 0, 1, 0), runAt(Duration.ofMinutes(10)));
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 1), runAt(Duration.ofMinutes(11)));
    assertEquals(IncidentAlerts.Sent.NONE, runAt(Duration.ofMinutes(12)));
    List<String> texts = texts();
    assertEquals(3, texts.size());
    assertEquals(texts.get(1), texts.get(2), "the retried recovery is the same message");
    assertEquals("[wafleet] RECOVERED phone-offline: account shop-3 \"Shop 3\" (+*******0003)\n"
        + "Back after 9 min (since 2026-11-23 10:00 UTC).", texts.get(2));
  }
}
