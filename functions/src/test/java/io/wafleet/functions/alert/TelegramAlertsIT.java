package io.wafleet.functions.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.AlertStateStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.functions.monitor.DisconnectGuard;
import io.wafleet.functions.monitor.GuardReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alerts end to end: the disconnect guard over the emulator, the real telegrambots client, a fake Bot API. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TelegramAlertsIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String TOKEN = "123456:TEST-token";
  private static final String CHAT = "-100123";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock = new ManualClock(T0);
  private FakeTelegramServer telegram;
  private AccountStore accounts;
  private DisconnectGuard guard;
  private IncidentAlerts alerts;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new FakeTelegramServer();
    Firestore db = FIRESTORE.firestore();
    accounts = new AccountStore(db, clock);
    guard = new DisconnectGuard(accounts, new IncidentStore(db, clock), DisconnectGuard.DEFAULT_THRESHOLD, clock);
    Alerter alerter = new Alerter(new AlertStateStore(db, clock), new TelegramChannel(telegram.url(), TOKEN, CHAT),
        Alerter.DEFAULT_THROTTLE, clock);
    alerts = new IncidentAlerts(alerter, accounts);
    accounts.create(Account.newAccount("shop-1", "Shop", "+40700000001", T0.minus(Duration.ofDays(1))).toBuilder()
        .status(AccountStatus.DISCONNECTED).lastDisconnectAt(T0).lastDisconnectReason("connection lost").build());
  }

  @AfterEach
  void tearDown() {
    telegram.close();
  }

  private IncidentAlerts.Sent runGuardAt(Duration sinceT0) {
    clock.set(T0.plus(sinceT0));
    GuardReport r = guard.run();
    return alerts.publish(r.open(), r.resolved());
  }

  private static JsonNode body(FakeTelegramServer.Received r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void disconnect_alertsOncePerHour_thenOneRecovery_withTheExactRequests() throws Exception {
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 0), runGuardAt(Duration.ofMinutes(5)));
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runGuardAt(Duration.ofMinutes(11)));
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), runGuardAt(Duration.ofMinutes(12)));
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), runGuardAt(Duration.ofMinutes(12)));

    List<FakeTelegramServer.Received> first = telegram.received();
    assertEquals(1, first.size());
    assertEquals("POST", first.get(0).method());
    assertEquals("/bot" + TOKEN + "/sendmessage", first.get(0).path());
    JsonNode sent = body(first.get(0));
    assertEquals(CHAT, sent.path("chat_id").asText());
    assertEquals("[wafleet] disconnected: account shop-1 \"Shop\" (+*******0001)\n"
        + "status DISCONNECTED, last disconnect: connection lost\n"
        + "Since 2026-11-23 10:00 UTC (11 min)\n"
        + "Next step: " + AlertType.DISCONNECTED.runbookStep(), sent.path("text").asText());
    assertFalse(first.get(0).body().contains("+40700000001"), first.get(0).body());

    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runGuardAt(Duration.ofMinutes(72)));
    assertTrue(body(telegram.received().get(1)).path("text").asText().contains("(72 min)"));

    accounts.update("shop-1", a -> a.toBuilder().status(AccountStatus.CONNECTED).connectedAt(clock.instant()).build());
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 1), runGuardAt(Duration.ofMinutes(80)));
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 0), runGuardAt(Duration.ofMinutes(81)));
    List<FakeTelegramServer.Received> all = telegram.received();
    assertEquals(3, all.size());
    assertEquals("[wafleet] RECOVERED disconnected: account shop-1 \"Shop\" (+*******0001)\n"
        + "Back after 80 min (since 2026-11-23 10:00 UTC).", body(all.get(2)).path("text").asText());
  }

  @Test
  void aFailedDelivery_isRetriedByTheNextRun_notThrottled() throws Exception {
    telegram.failNext.set(1);
    assertEquals(new IncidentAlerts.Sent(0, 0, 1, 0), runGuardAt(Duration.ofMinutes(11)));
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runGuardAt(Duration.ofMinutes(12)));
    assertEquals(2, telegram.received().size());
    assertTrue(body(telegram.received().get(1)).path("text").asText().contains("(12 min)"));
  }
}
