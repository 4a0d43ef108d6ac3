package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;


@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertStateStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:30Z"));
  private AlertStateStore alerts;

  @BeforeEach
  void setUp() {
    alerts = new AlertStateStore(FIRESTORE.firestore(), clock);
  }

  @Test
  void tryReserve_throttledPerTypeAndSubjectForTheInterval() {
    assertTrue(alerts.tryReserve("logged-out", "acc-1", Duration.ofHours(1)));
    clock.advance(Duration.ofMinutes(59));
    assertFalse(alerts.tryReserve("logged-out", "acc-1", Duration.ofHours(1)));
    assertTrue(alerts.tryReserve("logged-out", "acc-2", Duration.ofHours(1)));
    assertTrue(alerts.tryReserve("connector-down", "acc-1", Duration.ofHours(1)));
    clock.advance(Duration.ofMinutes(2));
    assertTrue(alerts.tryReserve("logged-out", "acc-1", Duration.ofHours(1)));
  }

  @Test
  void release_letsTheNextTryThrough() {
    assertTrue(alerts.tryReserve("probe-failed", "OUTBOUND", Duration.ofHours(1)));
    alerts.release("probe-failed", "OUTBOUND");
    assertTrue(alerts.tryReserve("probe-failed", "OUTBOUND", Duration.ofHours(1)));
  }

  @Test
  void markRecovered_onceAfterAnAlertWasSent_returnsWhenTheConditionBegan() {
    Instant since = clock.instant().minus(Duration.ofMinutes(7));
    assertTrue(alerts.tryReserve("queue-depth", "fleet", Duration.ofHours(1), since));
    clock.advance(Duration.ofMinutes(5));
    assertEquals(java.util.Optional.of(since), alerts.markRecovered("queue-depth", "fleet", Instant.EPOCH));
    assertEquals(java.util.Optional.empty(), alerts.markRecovered("queue-depth", "fleet", Instant.EPOCH), "a doubled run");
    assertFalse(alerts.tryReserve("queue-depth", "fleet", Duration.ofHours(1), clock.instant()), "still throttled");
    clock.advance(Duration.ofHours(1));
    assertTrue(alerts.tryReserve("queue-depth", "fleet", Duration.ofHours(1), clock.instant()), "a new episode");
    assertEquals(java.util.Optional.of(clock.instant()), alerts.markRecovered("queue-depth", "fleet", Instant.EPOCH));
  }

  @Test
  void markRecovered_nothingWithoutAnAlertSentSinceTheGivenTime() {
    assertEquals(java.util.Optional.empty(), alerts.markRecovered("logged-out", "acc-1", Instant.EPOCH), "never alerted");
    assertTrue(alerts.tryReserve("logged-out", "acc-1", Duration.ofHours(1)));
    assertEquals(java.util.Optional.empty(),
        alerts.markRecovered("logged-out", "acc-1", clock.instant().plusSeconds(1)), "alerted before the incident opened");
  }

  @Test
  void unmarkRecovered_letsTheNextRunSendTheRecovery() {
    assertTrue(alerts.tryReserve("logged-out", "acc-1", Duration.ofHours(1)));
    Instant sent = clock.instant();
    assertEquals(java.util.Optional.of(sent), alerts.markRecovered("logged-out", "acc-1", sent));
    alerts.unmarkRecovered("logged-out", "acc-1");
    assertEquals(java.util.Optional.of(sent), alerts.markRecovered("logged-out", "acc-1", sent));
  }
}
