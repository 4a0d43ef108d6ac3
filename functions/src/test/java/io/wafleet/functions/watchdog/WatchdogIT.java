package io.wafleet.functions.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.run.v2.GetServiceRequest;
import com.google.cloud.run.v2.UpdateServiceRequest;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.LockStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.functions.monitor.ConnectorLiveness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The watchdog over the emulator, restarting through the real google-cloud-run client against a local fake. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WatchdogIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private FakeCloudRun cloudRun;
  private CloudRunRestarter restarter;
  private LeaseStore leases;
  private IncidentStore incidents;
  private Watchdog watchdog;

  @BeforeEach
  void setUp() throws Exception {
    cloudRun = new FakeCloudRun();
    restarter = new CloudRunRestarter(CloudRunRestarter.localClient(cloudRun.endpoint()), FakeCloudRun.SERVICE, clock, 30);
    Firestore db = FIRESTORE.firestore();
    leases = new LeaseStore(db, clock, Duration.ZERO);
    incidents = new IncidentStore(db, clock);
    watchdog = new Watchdog(leases, incidents, new LockStore(db, clock), new ConnectorLiveness(Duration.ofMinutes(3)),
        Optional.of(restarter), Watchdog.DEFAULT_RESTART_COOLDOWN, clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    restarter.close();
    cloudRun.close();
  }

  @Test
  void staleConnector_opensOneIncident_restartsOncePerCooldown_andResolvesWhenItBeatsAgain() {
    // A lease that still runs but whose beats stopped: liveness is judged by the beat (3 minutes).
    leases.renew("conn-1", Duration.ofHours(1), "0.1.0", 3, 1L << 28);
    clock.set(T0.plus(Duration.ofMinutes(2)));
    Watchdog.Result healthyEnough = watchdog.run();
    assertTrue(healthyEnough.restart().isEmpty());
    assertTrue(cloudRun.requests().isEmpty());

    clock.set(T0.plus(Duration.ofMinutes(4)));
    Watchdog.Result first = watchdog.run();
    assertEquals(1, first.report().opened().size());
    assertEquals(T0, first.report().opened().get(0).openedAt());
    assertEquals("new revision requested for " + FakeCloudRun.SERVICE + " (latest created: "
        + FakeCloudRun.SERVICE + "/revisions/r2)", first.restart().orElseThrow());
    List<Object> requests = cloudRun.requests();
    assertEquals(2, requests.size());
    assertEquals(FakeCloudRun.SERVICE, assertInstanceOf(GetServiceRequest.class, requests.get(0)).getName());
    UpdateServiceRequest update = assertInstanceOf(UpdateServiceRequest.class, requests.get(1));
    assertEquals(FakeCloudRun.SERVICE, update.getService().getName());
    assertEquals(T0.plus(Duration.ofMinutes(4)).toString(),
        update.getService().getTemplate().getAnnotationsOrThrow(CloudRunRestarter.RESTART_ANNOTATION));
    assertEquals("ops", update.getService().getTemplate().getAnnotationsOrThrow("owner"));

    Watchdog.Result doubled = watchdog.run();
    assertTrue(doubled.restart().isEmpty());
    assertEquals(1, doubled.report().stillOpen().size());
    assertEquals(2, cloudRun.requests().size());

    clock.set(T0.plus(Duration.ofMinutes(15)));
    assertTrue(watchdog.run().restart().isPresent());
    assertEquals(4, cloudRun.requests().size());
    assertEquals(1, incidents.list(IncidentState.OPEN, 10).size());

    leases.renew("conn-2", Duration.ofSeconds(30), "0.1.0", 3, 1L << 28);
    Watchdog.Result back = watchdog.run();
    assertEquals(1, back.connectorsAlive());
    assertEquals(Duration.ofMinutes(15), back.report().resolved().get(0).timeToRecover().orElseThrow());
    assertTrue(incidents.list(IncidentState.OPEN, 10).isEmpty());
  }

  @Test
  void noConnectorEverRan_isNoIncident_andAFailedRestartIsRetriedByTheNextRun() throws Exception {
    assertTrue(watchdog.run().report().opened().isEmpty());
    leases.renew("conn-1", Duration.ofSeconds(30), "0.1.0", 0, 0);
    clock.set(T0.plus(Duration.ofMinutes(5)));
    String gone = cloudRun.endpoint();
    cloudRun.close();
    restarter.close();
    restarter = new CloudRunRestarter(CloudRunRestarter.localClient(gone), FakeCloudRun.SERVICE, clock, 10);
    watchdog = new Watchdog(leases, incidents, new LockStore(FIRESTORE.firestore(), clock),
        new ConnectorLiveness(Duration.ofMinutes(3)), Optional.of(restarter), Watchdog.DEFAULT_RESTART_COOLDOWN, clock);
    Watchdog.Result failed = watchdog.run();
    assertTrue(failed.restart().orElseThrow().startsWith("restart failed: "), failed.restart().toString());
    FakeCloudRun second = new FakeCloudRun();
    try (CloudRunRestarter other = new CloudRunRestarter(CloudRunRestarter.localClient(second.endpoint()),
        FakeCloudRun.SERVICE, clock, 30)) {
      Watchdog retry = new Watchdog(leases, incidents, new LockStore(FIRESTORE.firestore(), clock),
          new ConnectorLiveness(Duration.ofMinutes(3)), Optional.of(other), Watchdog.DEFAULT_RESTART_COOLDOWN, clock);
      assertTrue(retry.run().restart().orElseThrow().startsWith("new revision requested"));
    } finally {
      second.close();
    }
  }
}
