package io.wafleet.connector.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Lease;
import io.wafleet.common.store.Firestores;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.connector.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class InstanceLeaseIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final LeaseConfig CONFIG = new LeaseConfig("inst-a", LeaseConfig.DEFAULT_TTL,
      LeaseConfig.DEFAULT_RENEW_EVERY, "test-1");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final AtomicInteger lost = new AtomicInteger();
  private ExecutorService pool;
  private final java.util.List<InstanceLease> made = new java.util.ArrayList<>();
  private LeaseStore reader;

  @BeforeEach
  void setUp() {
    pool = Executors.newSingleThreadExecutor();
    reader = new LeaseStore(FIRESTORE.firestore(), clock, Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() {
    // A lease left listening would keep the class's Firestore client from closing.
    made.forEach(InstanceLease::close);
    pool.shutdownNow();
  }

  @Test
  void acquire_writesTheLeaseWithALivenessBeat() {
    InstanceLease lease = lease(reader);
    lease.acquire();
    Lease stored = reader.load("inst-a").orElseThrow();
    assertEquals(clock.instant().plus(LeaseConfig.DEFAULT_TTL), stored.leaseUntil());
    assertEquals(3, stored.accountsOwned());
    assertEquals("test-1", stored.version());
    assertTrue(stored.memoryBytes() > 0);
    assertTrue(lease.isLive());
  }

  @Test
  void renewal_everyTenSeconds_extendsTheLease() throws Exception {
    lease(reader).acquire();
    scheduler.advance(LeaseConfig.DEFAULT_RENEW_EVERY);
    Instant expected = clock.instant().plus(LeaseConfig.DEFAULT_TTL);
    await(() -> reader.load("inst-a").orElseThrow().leaseUntil().equals(expected), "a renewed lease");
    // The renewal schedules the next one after its write returns, on the lease's own executor: the
    // stored lease can be visible before that.
    await(() -> scheduler.pending() == 2, "the next renewal and the renewed lease's deadline scheduled");
    assertEquals(1, scheduler.pendingWithin(LeaseConfig.DEFAULT_RENEW_EVERY), "exactly one next renewal is due");
  }

  @Test
  void aRenewalThatNeverLands_declaresTheLeaseLostOnce_beforeItExpires() throws Exception {
    InstanceLease lease = lease(reader);
    Instant until = lease.acquire().leaseUntil();
    java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
    pool.execute(() -> {
      try {
        stuck.await(); // the lease's only worker is busy: the renewal queues behind it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    scheduler.advance(LeaseConfig.DEFAULT_RENEW_EVERY);
    assertEquals(0, lost.get(), "20 s of lease left: not lost yet");
    scheduler.advance(LeaseConfig.DEFAULT_TTL.minus(LeaseConfig.DEFAULT_RENEW_EVERY.multipliedBy(2)));
    assertEquals(1, lost.get(), "declared lost by the deadline, on the scheduler's thread");
    assertTrue(clock.instant().isBefore(until), "lost before it ran out, so peers never overlap");
    assertFalse(lease.isLive());
    stuck.countDown();
    scheduler.advance(LeaseConfig.DEFAULT_TTL);
    assertEquals(1, lost.get(), "once");
    assertEquals(until, reader.load("inst-a").orElseThrow().leaseUntil(), "the late renewal wrote nothing");
  }

  @Test
  void failingRenewals_declareTheLeaseLostOnce_beforeItExpires() throws Exception {
    Firestore own = Firestores.connect(FIRESTORE.projectId(), FIRESTORE.hostPort());
    InstanceLease lease = lease(new LeaseStore(own, clock, Duration.ofSeconds(5)));
    Instant until = lease.acquire().leaseUntil();
    // Every later renewal fails. shutdownNow, not close: close() waits for the lease's open listener.
    own.shutdownNow();
    scheduler.advance(LeaseConfig.DEFAULT_RENEW_EVERY);
    await(() -> scheduler.pending() == 2, "a retry after the first failed renewal, beside the deadline");
    assertEquals(0, lost.get(), "20 s of lease left: not lost yet");
    assertTrue(lease.isLive());
    scheduler.advance(LeaseConfig.DEFAULT_RENEW_EVERY);
    await(() -> lost.get() == 1, "the lease declared lost");
    assertTrue(clock.instant().isBefore(until), "lost before it ran out, so peers never overlap");
    assertFalse(lease.isLive());
    assertEquals(0, scheduler.pending(), "no more renewals");
    scheduler.advance(LeaseConfig.DEFAULT_TTL);
    assertEquals(1, lost.get());
  }

  @Test
  void release_deletesTheLease_andStopsRenewing() {
    InstanceLease lease = lease(reader);
    lease.acquire();
    lease.release();
    assertTrue(reader.load("inst-a").isEmpty());
    assertFalse(lease.isLive());
    assertEquals(0, scheduler.pending());
  }

  @Test
  void aNewProcessUnderTheSameId_replacesTheOldIncarnation_whichStopsAtOnceWithoutWaitingForARenewal() {
    InstanceLease old = lease(reader);
    old.acquire();
    AtomicInteger newLost = new AtomicInteger();
    InstanceLease successor = made(new InstanceLease(reader, CONFIG, scheduler, pool, clock, () -> 0,
        newLost::incrementAndGet));
    successor.acquire();
    // No clock movement, no renewal: the old incarnation learns it from its lease document.
    await(() -> lost.get() == 1, "the old incarnation declaring its lease lost");
    assertFalse(old.isLive());
    Lease stored = reader.load("inst-a").orElseThrow();
    assertEquals(successor.incarnation(), stored.incarnation());
    assertEquals(2, stored.generation(), "the lease generation counts the processes under this id");
    old.release();
    assertEquals(successor.incarnation(), reader.load("inst-a").orElseThrow().incarnation(),
        "a replaced process never deletes its successor's lease");
    assertEquals(0, newLost.get());
    assertTrue(successor.isLive());
  }

  @Test
  void aSuccessorWhoseEarlierProcessRanElsewhere_mayReclaimOnlyOnceTheEarlierLeaseRanOut() {
    InstanceLease old = lease(reader);
    Instant oldUntil = old.acquire().leaseUntil();
    InstanceLease successor = made(new InstanceLease(reader, CONFIG, scheduler, pool, clock, () -> 0, () -> { }));
    successor.acquire();
    assertFalse(successor.reclaimAllowed().isDone(), "no host lock proves the earlier process gone");
    assertEquals(oldUntil.plus(Duration.ofSeconds(5)), reader.load("inst-a").orElseThrow().reclaimAfter(),
        "the earlier lease plus the skew margin");
  }

  @Test
  void config_renewalNotShorterThanTtl_isRefused() {
    assertEquals("renewEvery >= ttl", assertThrows(IllegalArgumentException.class,
        () -> new LeaseConfig("i", Duration.ofSeconds(10), Duration.ofSeconds(10), "v")).getMessage());
  }

  private InstanceLease lease(LeaseStore store) {
    return made(new InstanceLease(store, CONFIG, scheduler, pool, clock, () -> 3, lost::incrementAndGet));
  }

  private InstanceLease made(InstanceLease lease) {
    made.add(lease);
    return lease;
  }

  private static void await(BooleanSupplier condition, String what) {
    Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }
}
