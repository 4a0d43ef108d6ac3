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
class MonitorConfigStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  @Test
  void config_roundTrips() {
    MonitorConfigStore config = new MonitorConfigStore(FIRESTORE.firestore());
    assertTrue(config.load().isEmpty());
    config.store(Map.of("disconnectIncidentMinutes", 10L));
    assertEquals(10L, config.load().get("disconnectIncidentMinutes"));
  }
}
