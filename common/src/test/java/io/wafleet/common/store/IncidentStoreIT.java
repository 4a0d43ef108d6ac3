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

import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IncidentStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:30Z");
  private final ManualClock clock = new ManualClock(T0);
  private IncidentStore incidents;

  @BeforeEach
  void setUp() {
    incidents = new IncidentStore(FIRESTORE.firestore(), clock);
  }

  @Test
  void openOrTouch_twice_keepsOneUpdatesLastChecked_andResolveRecordsTimeToRecover() {
    Instant since = T0.minus(Duration.ofMinutes(11));
    IncidentStore.Opening first = incidents.openOrTouch("disconnected", "acc-1", "down 11 min", since);
    assertTrue(first.created());
    assertEquals(since, first.incident().openedAt());
    clock.advance(Duration.ofMinutes(1));
    IncidentStore.Opening again = incidents.openOrTouch("disconnected", "acc-1", "down 12 min", since);
    assertFalse(again.created());
    assertEquals("down 11 min", again.incident().detail());
    assertEquals(clock.instant(), incidents.load(first.incident().id()).orElseThrow().lastCheckedAt());
    assertEquals(1, incidents.list(IncidentState.OPEN, 10).size());
    assertEquals(1, incidents.listOpen("disconnected").size());
    assertTrue(incidents.listOpen("logged-out").isEmpty());

    clock.advance(Duration.ofMinutes(4));
    Incident resolved = incidents.resolve(first.incident().id(), "reconnected").orElseThrow();
    assertEquals(Duration.ofMinutes(16), resolved.timeToRecover().orElseThrow());
    assertTrue(incidents.list(IncidentState.OPEN, 10).isEmpty());
    assertEquals(List.of(resolved), incidents.list(IncidentState.RESOLVED, 10));
    assertTrue(incidents.resolve(first.incident().id(), "again").isEmpty());
    assertEquals(List.of(resolved), incidents.listResolvedBetween(T0, clock.instant().plusSeconds(1)));
    assertEquals(List.of(resolved), incidents.listOpenedBetween(since, T0));
  }

  @Test
  void open_usesNowAsStart() {
    Incident opened = incidents.open("connector-down", "fleet", "no beat");
    assertEquals(T0, opened.openedAt());
    assertEquals("connector-down__fleet", opened.id());
  }
}
