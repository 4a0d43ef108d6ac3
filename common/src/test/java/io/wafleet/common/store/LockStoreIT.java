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
class LockStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:30Z"));
  private LockStore locks;

  @BeforeEach
  void setUp() {
    locks = new LockStore(FIRESTORE.firestore(), clock);
  }

  @Test
  void tryLock_heldByOther_untilExpiry() {
    assertTrue(locks.tryLock("watchdog", "run-1", Duration.ofSeconds(60)));
    assertFalse(locks.tryLock("watchdog", "run-2", Duration.ofSeconds(60)));
    assertTrue(locks.tryLock("watchdog", "run-1", Duration.ofSeconds(60)));
    assertEquals("run-1", locks.list().get("watchdog").get("holder"));
    clock.advance(Duration.ofSeconds(61));
    assertTrue(locks.tryLock("watchdog", "run-2", Duration.ofSeconds(60)));
    locks.unlock("watchdog", "run-2");
    assertTrue(locks.list().isEmpty());
  }
}
