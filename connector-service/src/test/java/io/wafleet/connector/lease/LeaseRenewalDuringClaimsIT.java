package io.wafleet.connector.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.ClaimResult;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.fleet.ExecutorScheduler;
import io.wafleet.connector.fleet.Fleet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A long burst of batched claims (the shape of a restore: 300 accounts in batches of
 * {@link Fleet#DEFAULT_CLAIM_BATCH}, four transactions in flight) reads the claimer's own lease
 * document in every transaction while that lease renews on a short period: the renewal must keep
 * landing, and the lease is never declared lost. Real clock, real scheduler, real emulator.
 */
@Timeout(120)
class LeaseRenewalDuringClaimsIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final int ACCOUNTS = 300;
  private static final int IN_FLIGHT = 4;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService leasePool = Executors.newSingleThreadExecutor();
  private final ExecutorService claimers = Executors.newFixedThreadPool(IN_FLIGHT);
  private InstanceLease lease;

  @AfterEach
  void tearDown() {
    if (lease != null) {
      lease.close();
    }
    claimers.shutdownNow();
    leasePool.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void renewalOnAShortPeriod_keepsLanding_whileBatchesClaimThreeHundredAccounts() throws Exception {
    Clock clock = Clock.systemUTC();
    LeaseStore leases = new LeaseStore(FIRESTORE.firestore(), clock, Duration.ofSeconds(1));
    AccountStore accounts = new AccountStore(FIRESTORE.firestore(), clock);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      String id = String.format("burst-%03d", i);
      accounts.create(Account.newAccount(id, "shop " + i, "+40701" + String.format("%06d", i), clock.instant()));
      ids.add(id);
    }
    AtomicInteger renewals = new AtomicInteger();
    AtomicInteger lost = new AtomicInteger();
    lease = new InstanceLease(leases, new LeaseConfig("inst-a", Duration.ofSeconds(3), Duration.ofSeconds(1), "test"),
        new ExecutorScheduler(timer), leasePool, clock, () -> {
          renewals.incrementAndGet();
          return 0;
        }, lost::incrementAndGet);
    lease.acquire();
    int renewalsBefore = renewals.get();

    // Every batch claims its accounts (or claims them back under this id, bumping their generation
    // again) until several renewals have landed during the burst.
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i += Fleet.DEFAULT_CLAIM_BATCH) {
      batches.add(ids.subList(i, Math.min(ACCOUNTS, i + Fleet.DEFAULT_CLAIM_BATCH)));
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong transactions = new AtomicLong();
    ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < IN_FLIGHT; t++) {
      int first = t;
      running.add(claimers.submit(() -> {
        for (int b = first; !stop.get(); b = (b + IN_FLIGHT) % batches.size()) {
          Map<String, ClaimResult> out = leases.claimBatch(batches.get(b), "inst-a");
          transactions.incrementAndGet();
          out.forEach((id, r) -> {
            if (!r.claimed()) {
              refusals.add(id + ": " + r.refusal());
            }
          });
        }
        return null;
      }));
    }
    Awaitility.await("five renewals during the claim burst").atMost(Duration.ofSeconds(60))
        .until(() -> renewals.get() - renewalsBefore >= 5 || lost.get() > 0);
    stop.set(true);
    for (Future<?> f : running) {
      f.get();
    }

    assertEquals(0, lost.get(), "the lease was never declared lost");
    assertTrue(lease.isLive());
    assertTrue(renewals.get() - renewalsBefore >= 5, "renewals landed during the burst");
    assertTrue(transactions.get() >= batches.size(), "the burst ran every batch at least once");
    assertEquals(List.of(), List.copyOf(refusals), "no claim refused while the lease was live");
    for (String id : ids) {
      Owner owner = accounts.load(id).orElseThrow().owner();
      assertEquals("inst-a", owner.instanceId(), id);
    }
  }
}
