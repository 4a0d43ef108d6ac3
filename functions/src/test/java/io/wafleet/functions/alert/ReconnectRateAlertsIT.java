package io.wafleet.functions.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.AlertStateStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.functions.monitor.ReconnectRateAlerts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * More than 5 reconnects of one account within an hour, over the emulator: the reconnects are
 * written as the connector writes them ({@code updateAsOwner} with {@code reconnectAt}), the alert
 * goes through the real telegrambots client to the local fake Bot API.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReconnectRateAlertsIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String TOKEN = "123456:TEST-token";
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:20Z");
  private static final Owner OWNER = new Owner("inst-a", 1);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock = new ManualClock(NOW);
  private FakeTelegramServer telegram;
  private AccountStore accounts;
  private ReconnectRateAlerts alerts;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new FakeTelegramServer();
    Firestore db = FIRESTORE.firestore();
    accounts = new AccountStore(db, clock);
    Alerter alerter = new Alerter(new AlertStateStore(db, clock), new TelegramChannel(telegram.url(), TOKEN, "-1"),
        Alerter.DEFAULT_THROTTLE, clock);
    alerts = new ReconnectRateAlerts(accounts, alerter, clock);
  }

  @AfterEach
  void tearDown() {
    telegram.close();
  }

  /** An account with one reconnect at each of {@code times}, written as the connector writes them. */
  private void account(String id, String phone, Instant... times) {
    accounts.create(Account.newAccount(id, "Shop " + id, phone, NOW.minus(Duration.ofDays(1))).toBuilder()
        .owner(OWNER).build());
    for (Instant t : times) {
      accounts.updateAsOwner(id, OWNER, a -> a.toBuilder().status(AccountStatus.DISCONNECTED)
          .lastDisconnectReason("wa-connection-lost").reconnectAt(t).build());
    }
  }

  private static Instant[] minutes(String start, int... offsets) {
    Instant base = Instant.parse(start);
    Instant[] out = new Instant[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      out[i] = base.plus(Duration.ofMinutes(offsets[i]));
    }
    return out;
  }

  private IncidentAlerts.Sent runAt(Instant at) {
    clock.set(at);
    return alerts.run();
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
  void sixReconnectsInAnHour_alertOncePerHour_andRecoverWhenTheHourHoldsFiveOrFewer() throws Exception {
    account("flappy", "+40700000001", minutes("2026-11-23T09:10:00Z", 0, 10, 20, 30, 40, 50));
    // Exactly 5 within the hour is not more than 5; 6 two hours ago were never alerted.
    account("five", "+40700000002", minutes("2026-11-23T09:05:00Z", 0, 10, 20, 30, 40));
    account("old", "+40700000003", minutes("2026-11-23T07:00:00Z", 0, 1, 2, 3, 4, 5));

    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runAt(NOW));
    assertEquals(List.of("[wafleet] reconnect-rate: account flappy \"Shop flappy\" (+*******0001)\n"
        + "6 reconnects in the last hour (more than 5); last cause wa-connection-lost, status DISCONNECTED\n"
        + "Since 2026-11-23 09:10 UTC (50 min)\n"
        + "Next step: " + AlertType.RECONNECT_RATE.runbookStep()), texts());
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), runAt(NOW.plusSeconds(30)), "a doubled run is throttled");
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), runAt(Instant.parse("2026-11-23T10:09:00Z")),
        "09:10 is still within the hour");

    // At 10:10:30 the 09:10 reconnect has left the hour: 5 remain, the account has calmed down.
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 1), runAt(Instant.parse("2026-11-23T10:10:30Z")));
    assertEquals(IncidentAlerts.Sent.NONE, runAt(Instant.parse("2026-11-23T10:11:30Z")), "one recovery only");
    assertEquals("[wafleet] RECOVERED reconnect-rate: account flappy \"Shop flappy\" (+*******0001)\n"
        + "Back after 60 min (since 2026-11-23 09:10 UTC).", texts().get(1));
    assertEquals(2, texts().size());
  }

  @Test
  void aNewEpisodeAfterTheThrottleHour_alertsAgain() throws Exception {
    account("flappy", "+40700000001", minutes("2026-11-23T09:10:00Z", 0, 10, 20, 30, 40, 50));
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runAt(NOW));
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 1), runAt(Instant.parse("2026-11-23T10:10:30Z")));
    // The account drops six more times; the run after 11:00:20 is past the hour of the last alert.
    for (Instant t : minutes("2026-11-23T10:20:00Z", 0, 5, 10, 15, 20, 25)) {
      accounts.updateAsOwner("flappy", OWNER, a -> a.toBuilder().reconnectAt(t).build());
    }
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), runAt(Instant.parse("2026-11-23T10:50:00Z")),
        "within the hour of the last alert");
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), runAt(Instant.parse("2026-11-23T11:01:00Z")));
    assertEquals("[wafleet] reconnect-rate: account flappy \"Shop flappy\" (+*******0001)\n"
        + "6 reconnects in the last hour (more than 5); last cause wa-connection-lost, status DISCONNECTED\n"
        + "Since 2026-11-23 10:20 UTC (41 min)\n"
        + "Next step: " + AlertType.RECONNECT_RATE.runbookStep(), texts().get(2));
    assertEquals(3, texts().size());
  }

  @Test
  void aCalmFleet_sendsNothing() throws Exception {
    account("calm", "+40700000004");
    account("once", "+40700000005", minutes("2026-11-23T09:59:00Z", 0));
    assertEquals(IncidentAlerts.Sent.NONE, runAt(NOW));
    assertEquals(List.of(), telegram.received());
  }
}
