package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.Owner;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaseClaimRaceIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  @Test
  void claim_twoInstancesRacing_exactlyOneWins() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    LeaseStore leases = new LeaseStore(FIRESTORE.firestore(), clock, Duration.ofSeconds(5));
    AccountStore accounts = new AccountStore(FIRESTORE.firestore(), clock);
    int rounds = 3;
    for (int round = 0; round < rounds; round++) {
      String accountId = "race-" + round;
      accounts.create(Account.newAccount(accountId, "r", "+40700000001", clock.instant()));
      leases.renew("inst-a", Duration.ofSeconds(30), "v1", 0, 0);
      leases.renew("inst-b", Duration.ofSeconds(30), "v1", 0, 0);
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<ClaimResult>> results = List.of(
            pool.submit(() -> { start.await(); return leases.claim(accountId, "inst-a"); }),
            pool.submit(() -> { start.await(); return leases.claim(accountId, "inst-b"); }));
        start.countDown();
        int wins = 0;
        Owner winner = null;
        for (Future<ClaimResult> f : results) {
          ClaimResult r = f.get();
          if (r.claimed()) {
            wins++;
            winner = r.owner();
          }
        }
        assertEquals(1, wins, "round " + round);
        assertEquals(winner, accounts.load(accountId).orElseThrow().owner());
        assertEquals(1, winner.generation());
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
