package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import io.wafleet.common.schema.FirestoreSchema;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LeaseStore#claimBatch}: many accounts per transaction under the single claim's rules. */
@Timeout(120)
class ClaimBatchIT {

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
  }

  @Test
  void batch_claimsExactlyTheClaimable_refusesTheRest_andBumpsGenerations() {
    List<String> ids = create("b", 10);
    // b-07's owner dies: its lease is not renewed past TTL + skew.
    leases.renew("inst-c", TTL, "v1", 0, 0);
    assertTrue(leases.claim("b-07", "inst-c").claimed());
    clock.advance(TTL.plus(SKEW).plusSeconds(1));
    leases.renew("inst-a", TTL, "v1", 0, 0);
    leases.renew("inst-b", TTL, "v1", 0, 0);
    assertTrue(leases.claim("b-02", "inst-b").claimed());
    assertTrue(leases.claim("b-05", "inst-b").claimed());
    // b-09 was held by inst-a and released: its counter must still climb.
    Owner released = leases.claim("b-09", "inst-a").owner();
    assertTrue(leases.releaseAccount("b-09", released));
    accounts.update("b-08", a -> a.toBuilder().desired(DesiredState.STOPPED).build());

    List<String> batch = new ArrayList<>(ids);
    batch.add("missing");
    Map<String, ClaimResult> out = leases.claimBatch(batch, "inst-a");

    assertEquals(batch, List.copyOf(out.keySet()), "one outcome per id, in the given order");
    for (String id : List.of("b-00", "b-01", "b-03", "b-04", "b-06")) {
      assertEquals(ClaimResult.claimed(new Owner("inst-a", 1)), out.get(id), id);
      assertEquals(new Owner("inst-a", 1), accounts.load(id).orElseThrow().owner(), id);
    }
    assertEquals(new Owner("inst-a", 2), out.get("b-07").owner(), "taken over from the dead owner");
    assertEquals(2, accounts.load("b-07").orElseThrow().ownerGeneration());
    assertEquals(new Owner("inst-a", 2), out.get("b-09").owner(), "a fresh token after the release");
    for (String id : List.of("b-02", "b-05")) {
      assertFalse(out.get(id).claimed(), id);
      assertEquals("owned by a live instance", out.get(id).refusal());
      assertEquals(new Owner("inst-b", 1), accounts.load(id).orElseThrow().owner(), "untouched " + id);
    }
    assertEquals("account is not active", out.get("b-08").refusal());
    assertNull(accounts.load("b-08").orElseThrow().owner());
    assertEquals("account does not exist", out.get("missing").refusal());
    assertFalse(accounts.load("missing").isPresent(), "a refused id is never created");
  }

  @Test
  void batch_withinTheSkewMargin_stillRefusesADeadOwnersAccounts() {
    create("s", 2);
    leases.renew("inst-c", TTL, "v1", 0, 0);
    assertTrue(leases.claim("s-00", "inst-c").claimed());
    clock.advance(TTL.plus(SKEW).minusSeconds(1));
    leases.renew("inst-a", TTL, "v1", 0, 0);
    Map<String, ClaimResult> out = leases.claimBatch(List.of("s-00", "s-01"), "inst-a");
    assertEquals("owned by a live instance", out.get("s-00").refusal());
    assertEquals(new Owner("inst-c", 1), accounts.load("s-00").orElseThrow().owner());
    assertTrue(out.get("s-01").claimed());
  }

  @Test
  void batch_withoutTheClaimersLiveLease_writesNothing() {
    List<String> ids = create("n", 5);
    Map<String, ClaimResult> out = leases.claimBatch(ids, "inst-a");
    for (String id : ids) {
      assertEquals("claimer has no live lease", out.get(id).refusal());
      assertNull(accounts.load(id).orElseThrow().owner());
      assertEquals(0, accounts.load(id).orElseThrow().ownerGeneration());
    }
  }

  @Test
  void batch_whoseTransactionFails_claimsNoneOfItsAccounts() throws Exception {
    List<String> ids = create("f", 6);
    leases.renew("inst-a", TTL, "v1", 0, 0);
    leases.renew("inst-x", TTL, "v1", 0, 0);
    assertTrue(leases.claim("f-03", "inst-x").claimed());
    // inst-x's lease document is unreadable (a field missing), so the batch cannot decide f-03.
    FIRESTORE.firestore().collection(FirestoreSchema.CONNECTORS).document("inst-x")
        .set(Map.of("version", "v1")).get();
    assertThrows(StoreException.class, () -> leases.claimBatch(ids, "inst-a"));
    for (String id : ids) {
      Owner owner = accounts.load(id).orElseThrow().owner();
      assertTrue(owner == null || owner.instanceId().equals("inst-x"), "nothing written for " + id);
    }
  }

  @Test
  void batch_ofMoreThanTheLimit_isRejectedBeforeAnyRead() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i <= LeaseStore.MAX_BATCH; i++) {
      ids.add("over-" + i);
    }
    InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> leases.claimBatch(ids, "inst-a"));
    assertEquals("accountIds", e.field());
    assertThrows(InvalidDocumentIdException.class, () -> leases.claimBatch(List.of("a/b"), "inst-a"));
  }

  @Test
  void overlappingBatches_racing_eachAccountEndsWithOneOwner_matchingTheOutcomes() throws Exception {
    List<String> ids = create("r", 60);
    leases.renew("inst-a", TTL, "v1", 0, 0);
    leases.renew("inst-b", TTL, "v1", 0, 0);
    // A takes r-00..r-39, B takes r-20..r-59: r-20..r-39 are contended.
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Map<String, ClaimResult>> fa = pool.submit(() -> {
        start.await();
        return leases.claimBatch(ids.subList(0, 40), "inst-a");
      });
      Future<Map<String, ClaimResult>> fb = pool.submit(() -> {
        start.await();
        return leases.claimBatch(ids.subList(20, 60), "inst-b");
      });
      start.countDown();
      Map<String, ClaimResult> a = fa.get();
      Map<String, ClaimResult> b = fb.get();
      for (String id : ids) {
        boolean wonA = a.containsKey(id) && a.get(id).claimed();
        boolean wonB = b.containsKey(id) && b.get(id).claimed();
        assertTrue(wonA ^ wonB, "exactly one claim of " + id);
        Owner stored = accounts.load(id).orElseThrow().owner();
        assertEquals(wonA ? a.get(id).owner() : b.get(id).owner(), stored, id);
        assertEquals(1, stored.generation(), id);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void claimChange_isWrittenWithTheClaim_onClaimedAccountsOnly_andCannotMoveOwnerOrDesired() {
    List<String> ids = create("c", 3);
    leases.renew("inst-a", TTL, "v1", 0, 0);
    leases.renew("inst-b", TTL, "v1", 0, 0);
    assertTrue(leases.claim("c-01", "inst-b").claimed());

    Map<String, ClaimResult> out = leases.claimBatch(ids, "inst-a", b -> b.status(AccountStatus.CONNECTING)
        .owner(new Owner("intruder", 99)).ownerGeneration(99).desired(DesiredState.STOPPED));

    for (String id : List.of("c-00", "c-02")) {
      Account claimed = accounts.load(id).orElseThrow();
      assertEquals(AccountStatus.CONNECTING, claimed.status(), id);
      assertEquals(new Owner("inst-a", 1), claimed.owner(), "the claim decides the owner " + id);
      assertEquals(1, claimed.ownerGeneration(), id);
      assertEquals(DesiredState.ACTIVE, claimed.desired(), id);
      assertEquals(ClaimResult.claimed(new Owner("inst-a", 1)), out.get(id), id);
    }
    Account refused = accounts.load("c-01").orElseThrow();
    assertFalse(out.get("c-01").claimed());
    assertEquals(AccountStatus.PENDING, refused.status(), "a refused account is not touched");
    assertEquals(new Owner("inst-b", 1), refused.owner());
  }

  private List<String> create(String prefix, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("%s-%02d", prefix, i);
      accounts.create(Account.newAccount(id, "shop " + i, "+4070000" + String.format("%04d", i), clock.instant()));
      ids.add(id);
    }
    return ids;
  }
}
