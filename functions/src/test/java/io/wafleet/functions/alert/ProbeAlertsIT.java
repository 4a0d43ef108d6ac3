package io.wafleet.functions.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.AlertStateStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.ProbeStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.functions.monitor.GuardReport;
import io.wafleet.functions.monitor.ProbeGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Probe failures end to end: stored probes, the probe guard, the real telegrambots client, a fake Bot API. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbeAlertsIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private FakeTelegramServer telegram;
  private ProbeStore probes;
  private ProbeGuard guard;
  private IncidentAlerts alerts;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new FakeTelegramServer();
    Firestore db = FIRESTORE.firestore();
    probes = new ProbeStore(db);
    guard = new ProbeGuard(probes, new IncidentStore(db, clock), clock);
    alerts = new IncidentAlerts(new Alerter(new AlertStateStore(db, clock),
        new TelegramChannel(telegram.url(), "42:probe-token", "777"), Alerter.DEFAULT_THROTTLE, clock),
        new AccountStore(db, clock));
  }

  @AfterEach
  void tearDown() {
    telegram.close();
  }

  private IncidentAlerts.Sent probeAt(int minute, boolean ok) {
    clock.set(T0.plus(Duration.ofMinutes(minute)));
    probes.store(new Probe(ProbeType.OUTBOUND, clock.instant(), ok, ok ? 800 : 0, "probe-1", ok ? null : "no server ack in 30 s"));
    GuardReport r = guard.run();
    return alerts.publish(r.open(), r.resolved());
  }

  private IncidentAlerts.Sent rerunAt(int minute) {
    clock.set(T0.plus(Duration.ofMinutes(minute)));
    GuardReport r = guard.run();
    return alerts.publish(r.open(), r.resolved());
  }

  @Test
  void secondConsecutiveFailure_alertsOnceWithinTheHour_thenOneRecovery() throws Exception {
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 0), probeAt(0, true));
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 0), probeAt(60, false));
    assertEquals(new IncidentAlerts.Sent(1, 0, 0, 0), probeAt(120, false));
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), rerunAt(125));
    assertEquals(new IncidentAlerts.Sent(0, 1, 0, 0), rerunAt(125));
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 1), probeAt(180, true));
    assertEquals(new IncidentAlerts.Sent(0, 0, 0, 0), rerunAt(185));

    List<FakeTelegramServer.Received> sent = telegram.received();
    assertEquals(2, sent.size());
    ObjectMapper json = new ObjectMapper();
    assertEquals("/bot42:probe-token/sendmessage", sent.get(0).path());
    assertEquals("[wafleet] probe-failing: OUTBOUND\n"
        + "2 outbound probes failed in a row, last error: no server ack in 30 s\n"
        + "Since 2026-11-23 11:00 UTC (60 min)\n"
        + "Next step: " + AlertType.PROBE_FAILING.runbookStep(), json.readTree(sent.get(0).body()).path("text").asText());
    String recovery = json.readTree(sent.get(1).body()).path("text").asText();
    assertEquals("[wafleet] RECOVERED probe-failing: OUTBOUND\nBack after 2 h 0 min (since 2026-11-23 11:00 UTC).", recovery);
  }
}
