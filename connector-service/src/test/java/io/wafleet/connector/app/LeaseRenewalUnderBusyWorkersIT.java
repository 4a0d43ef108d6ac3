package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Lease;
import io.wafleet.common.store.Firestores;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.testing.ConnectorEnv;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The instance lease keeps renewing while every worker of the fleet pool is busy with account work.
 * An account's serial executor keeps its pool thread for as long as its queue has work (a backlog of
 * received messages stored one by one at login, say), so renewals queued on that pool waited behind
 * it; with a few such accounts no renewal landed before the deadline and a healthy instance declared
 * its lease lost and ended (seen in {@code ConnectorChaosIT}: most processes ended that way). Here
 * every fleet worker is held until the lease has been renewed past two whole lease periods from
 * the moment they were taken.
 */
@Timeout(120)
class LeaseRenewalUnderBusyWorkersIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Duration TTL = Duration.ofSeconds(4);
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private WaSimulator simulator;
  private Connector connector;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    Map<String, String> env = ConnectorEnv.of(simulator, FIRESTORE, "inst-busy", 9);
    env.put("WAFLEET_LEASE_TTL_SECONDS", Long.toString(TTL.toSeconds()));
    env.put("WAFLEET_LEASE_RENEW_SECONDS", "1");
    env.put("WAFLEET_LEASE_SKEW_SECONDS", "0");
    connector = new Connector(ConnectorConfig.fromEnv(env),
        Firestores.connect(FIRESTORE.projectId(), FIRESTORE.hostPort()), Clock.systemUTC(), () -> lost.set(true));
    connector.run();
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    connector.shutdown();
    simulator.close();
  }

  @Test
  void everyFleetWorkerHeldByAccountWork_theLeaseStillRenews() throws Exception {
    // More tasks than the pool has threads: every worker is held, the rest wait in its queue.
    CountDownLatch held = new CountDownLatch(1);
    for (int i = 0; i < 64; i++) {
      connector.fleetPool().execute(() -> {
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    held.await();
    Instant heldFrom = Clock.systemUTC().instant();
    LeaseStore leases = new LeaseStore(FIRESTORE.firestore(), Clock.systemUTC(), Duration.ZERO);
    Lease renewed = Waits.until("the lease renewed past two lease periods while the workers are held", LIMIT,
        () -> {
          if (lost.get()) {
            throw new AssertionError("the lease was declared lost while the fleet workers were busy");
          }
          return leases.load("inst-busy").orElse(null);
        }, l -> l.leaseUntil().isAfter(heldFrom.plus(TTL.multipliedBy(2))), l -> "leaseUntil " + l.leaseUntil());
    assertTrue(renewed.leaseUntil().isAfter(heldFrom.plus(TTL.multipliedBy(2))));
    assertFalse(lost.get(), "lease declared lost");
    release.countDown();
  }
}
