package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.crypto.BlobCipher;
import io.wafleet.common.crypto.KeyRing;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Lease;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.Owner;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fencing tokens never repeat (the account's generation counter survives a release), a stale owner's
 * fenced writes are refused after a release and a new claim under the same instance id, and a new
 * process under a stable instance id takes the lease over with its own incarnation.
 */
class FencingTokenIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration SKEW = Duration.ofSeconds(5);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private LeaseStore leases;
  private AccountStore accounts;

  @BeforeEach
  void setUp() {
    leases = new LeaseStore(FIRESTORE.firestore(), clock, SKEW);
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", clock.instant()));
  }

  @Test
  void claimReleaseClaim_sameInstance_strictlyGreaterGeneration_andTheCounterSurvivesTheRelease() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    Owner first = leases.claim("acc-1", "inst-a").owner();
    assertTrue(leases.releaseAccount("acc-1", first));
    Account released = accounts.load("acc-1").orElseThrow();
    assertNull(released.owner());
    assertEquals(first.generation(), released.ownerGeneration(), "the counter stays after the release");
    Owner second = leases.claim("acc-1", "inst-a").owner();
    assertTrue(second.generation() > first.generation(), first + " then " + second);
    assertEquals(second.generation(), accounts.load("acc-1").orElseThrow().ownerGeneration());
  }

  @Test
  void claimReleaseClaim_byAnotherInstance_strictlyGreaterGeneration() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    leases.renew("inst-b", TTL, "v1", 0, 0);
    Owner first = leases.claim("acc-1", "inst-a").owner();
    leases.releaseAccount("acc-1", first);
    Owner second = leases.claim("acc-1", "inst-b").owner();
    assertTrue(second.generation() > first.generation(), first + " then " + second);
  }

  @Test
  void apiSideWrites_keepTheCounter() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    Owner first = leases.claim("acc-1", "inst-a").owner();
    leases.releaseAccount("acc-1", first);
    accounts.update("acc-1", a -> a.toBuilder().name("renamed").build());
    assertEquals(first.generation(), accounts.load("acc-1").orElseThrow().ownerGeneration());
    assertTrue(leases.claim("acc-1", "inst-a").owner().generation() > first.generation());
  }

  @Test
  void staleOwner_afterReleaseAndReclaimUnderTheSameId_isFencedEverywhere() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    SessionStore sessions = new SessionStore(FIRESTORE.firestore(),
        new BlobCipher(new KeyRing(Map.of("k1", key), "k1")), clock);
    OutboxStore outbox = new OutboxStore(FIRESTORE.firestore(), clock);
    leases.renew("inst-a", TTL, "v1", 0, 0);
    Owner stale = leases.claim("acc-1", "inst-a").owner();
    sessions.storeCreds("acc-1", stale, new byte[] {1});
    outbox.enqueue(OutboxItem.queued("out-1", "acc-1", "40711111111@s.whatsapp.net", "hi", clock.instant()));
    leases.releaseAccount("acc-1", stale);
    Owner current = leases.claim("acc-1", "inst-a").owner();
    assertEquals(stale.instanceId(), current.instanceId());

    assertThrows(FencingException.class, () -> sessions.storeCreds("acc-1", stale, new byte[] {2}));
    assertThrows(FencingException.class,
        () -> sessions.storeKeys("acc-1", stale, "pre-key", Map.of("1", new byte[] {3})));
    assertThrows(FencingException.class,
        () -> accounts.updateAsOwner("acc-1", stale, a -> a.toBuilder().status(AccountStatus.CONNECTED).build()));
    assertThrows(FencingException.class, () -> outbox.markSending("out-1", stale, "3EB0AAAA"));
    assertThrows(FencingException.class, () -> outbox.advance("out-1", stale, i -> i));
    // Nothing the stale owner tried landed; the current owner writes.
    assertEquals(AccountStatus.PENDING, accounts.load("acc-1").orElseThrow().status());
    assertEquals(1, sessions.loadCreds("acc-1").orElseThrow()[0]);
    sessions.storeCreds("acc-1", current, new byte[] {4});
    assertNotNull(outbox.markSending("out-1", current, "3EB0AAAA"));
  }

  @Test
  void takeOver_ofALiveLeaseFromElsewhere_waitsForItToRunOut_andTheOldIncarnationIsReplaced() {
    leases.takeOver("inst-a", "old", "host-1:/tmp/a.lock", true, TTL, "v1", 0, 0);
    Owner old = leases.claim("acc-1", "inst-a").owner();
    clock.advance(Duration.ofSeconds(3));
    LeaseTakeOver taken = leases.takeOver("inst-a", "new", "host-2:/tmp/a.lock", true, TTL, "v1", 0, 0);
    assertFalse(taken.reclaimAtOnce(), "another host: the old process may still run");
    assertEquals("old", taken.previous().incarnation());
    assertEquals(taken.previous().leaseUntil().plus(SKEW), taken.lease().reclaimAfter());
    assertEquals(taken.previous().generation() + 1, taken.lease().generation());
    assertThrows(LeaseReplacedException.class, () -> leases.renew("inst-a", "old", TTL, "v1", 0, 0));
    ClaimResult early = leases.claim("acc-1", "inst-a");
    assertFalse(early.claimed(), early.refusal());
    assertEquals(old, early.owner());

    clock.set(taken.lease().reclaimAfter());
    leases.renew("inst-a", "new", TTL, "v1", 0, 0);
    ClaimResult late = leases.claim("acc-1", "inst-a");
    assertTrue(late.claimed(), late.refusal());
    assertTrue(late.owner().generation() > old.generation());
  }

  @Test
  void takeOver_sameHolderWithItsLockFree_reclaimsAtOnceWithAGenerationBump() {
    leases.takeOver("inst-a", "old", "host-1:/tmp/a.lock", true, TTL, "v1", 0, 0);
    Owner old = leases.claim("acc-1", "inst-a").owner();
    LeaseTakeOver taken = leases.takeOver("inst-a", "new", "host-1:/tmp/a.lock", true, TTL, "v1", 0, 0);
    assertTrue(taken.reclaimAtOnce());
    ClaimResult claim = leases.claim("acc-1", "inst-a");
    assertTrue(claim.claimed(), claim.refusal());
    assertEquals(old.generation() + 1, claim.owner().generation());
  }

  @Test
  void takeOver_sameHolderWithItsLockHeld_waitsUntilAllowReclaim() {
    leases.takeOver("inst-a", "old", "host-1:/tmp/a.lock", true, TTL, "v1", 0, 0);
    leases.claim("acc-1", "inst-a");
    LeaseTakeOver taken = leases.takeOver("inst-a", "new", "host-1:/tmp/a.lock", false, TTL, "v1", 0, 0);
    assertFalse(taken.reclaimAtOnce());
    assertFalse(leases.claim("acc-1", "inst-a").claimed());
    assertFalse(leases.allowReclaim("inst-a", "old"), "only the current incarnation may allow it");
    assertTrue(leases.allowReclaim("inst-a", "new"));
    assertTrue(leases.claim("acc-1", "inst-a").claimed());
  }

  @Test
  void takeOver_afterTheEarlierLeaseRanOut_reclaimsAtOnce() {
    leases.takeOver("inst-a", "old", "host-1:/tmp/a.lock", true, TTL, "v1", 0, 0);
    leases.claim("acc-1", "inst-a");
    clock.advance(TTL.plus(SKEW));
    assertTrue(leases.takeOver("inst-a", "new", "host-2:/tmp/a.lock", false, TTL, "v1", 0, 0).reclaimAtOnce());
    assertTrue(leases.claim("acc-1", "inst-a").claimed());
  }

  @Test
  void release_byAReplacedIncarnation_leavesTheSuccessorsLease() {
    leases.takeOver("inst-a", "old", "h", true, TTL, "v1", 0, 0);
    leases.takeOver("inst-a", "new", "h", true, TTL, "v1", 0, 0);
    assertFalse(leases.release("inst-a", "old"));
    assertEquals("new", leases.load("inst-a").orElseThrow().incarnation());
    assertTrue(leases.release("inst-a", "new"));
    assertTrue(leases.load("inst-a").isEmpty());
  }

  @Test
  void claimRefusal_isTheClaimsPredicateOnASnapshot() {
    Instant now = clock.instant();
    Lease mine = new Lease("inst-a", now.plus(TTL), 2, now, now, "v1", 0, 0, "i", "h", now.plusSeconds(10));
    Lease peer = new Lease("inst-b", now.minusSeconds(1), 1, now, now, "v1", 0, 0, "j", "h", now);
    assertNull(LeaseStore.claimRefusal(null, null, mine, now, SKEW));
    assertNotNull(LeaseStore.claimRefusal(new Owner("inst-b", 1), peer, mine, now, SKEW), "within the skew margin");
    assertNull(LeaseStore.claimRefusal(new Owner("inst-b", 1), peer, mine, now.plus(SKEW), SKEW));
    assertNull(LeaseStore.claimRefusal(new Owner("inst-c", 1), null, mine, now, SKEW), "no lease: dead");
    assertNotNull(LeaseStore.claimRefusal(new Owner("inst-a", 1), mine, mine, now, SKEW), "before reclaimAfter");
    assertNull(LeaseStore.claimRefusal(new Owner("inst-a", 1), mine, mine, now.plusSeconds(10), SKEW));
  }
}
