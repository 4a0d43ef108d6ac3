package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LeaseStore#claimForDeletion}: a deletion whose owner died after the API's 202 is taken over
 * under the claims' own rule (lease plus skew; an earlier process under the claimer's own id once
 * reclaiming is allowed), with a generation bump that fences the dead owner; nothing else is taken.
 */
@Timeout(120)
class ClaimForDeletionIT {

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
  void deletedAccountOfADeadOwner_isTakenAfterLeasePlusSkew_withAGenerationBumpThatFencesTheDeadOwner() {
    Owner dead = deletedWhileOwnedBy("d-1", "inst-dead");
    clock.advance(TTL.plus(SKEW).minusSeconds(1));
    leases.renew("inst-a", TTL, "v1", 0, 0);
    ClaimResult early = leases.claimForDeletion("d-1", "inst-a");
    assertFalse(early.claimed());
    assertEquals("owned by a live instance", early.refusal(), "within the skew margin the owner still counts as live");
    assertEquals(dead, accounts.load("d-1").orElseThrow().owner());

    clock.advance(Duration.ofSeconds(2));
    leases.renew("inst-a", TTL, "v1", 0, 0);
    ClaimResult taken = leases.claimForDeletion("d-1", "inst-a");
    assertTrue(taken.claimed(), String.valueOf(taken));
    assertEquals(new Owner("inst-a", 2), taken.owner());
    Account stored = accounts.load("d-1").orElseThrow();
    assertEquals(new Owner("inst-a", 2), stored.owner());
    assertEquals(2, stored.ownerGeneration());
    assertEquals(DesiredState.DELETED, stored.desired(), "still being deleted");
    assertThrows(FencingException.class, () -> accounts.updateAsOwner("d-1", dead,
        a -> a.toBuilder().status(AccountStatus.CONNECTED).build()), "the dead owner is fenced");
    assertFalse(leases.releaseAccount("d-1", dead), "nor can it give the account up");
  }

  @Test
  void deletedAccountOfALiveOwner_isNotTaken() {
    Owner live = deletedWhileOwnedBy("d-2", "inst-live");
    leases.renew("inst-a", TTL, "v1", 0, 0);
    ClaimResult out = leases.claimForDeletion("d-2", "inst-a");
    assertFalse(out.claimed());
    assertEquals("owned by a live instance", out.refusal());
    assertEquals(live, out.owner());
    assertEquals(live, accounts.load("d-2").orElseThrow().owner(), "untouched");
    assertEquals(1, accounts.load("d-2").orElseThrow().ownerGeneration());
  }

  @Test
  void anEarlierProcessUnderTheClaimersOwnId_isTakenOnlyOnceReclaimIsAllowed() {
    Owner earlier = deletedWhileOwnedBy("d-3", "inst-same");
    // A new process under the same id while the earlier lease is still live: reclaim waits.
    LeaseTakeOver taken = leases.takeOver("inst-same", "incarnation-2", "host-1", false, TTL, "v2", 0, 0);
    assertTrue(taken.lease().reclaimAfter().isAfter(clock.instant()));
    ClaimResult early = leases.claimForDeletion("d-3", "inst-same");
    assertFalse(early.claimed());
    assertTrue(early.refusal().startsWith("owned under this instance id by an earlier process"), early.refusal());
    assertEquals(earlier, accounts.load("d-3").orElseThrow().owner());

    assertTrue(leases.allowReclaim("inst-same", "incarnation-2"));
    ClaimResult now = leases.claimForDeletion("d-3", "inst-same");
    assertTrue(now.claimed(), String.valueOf(now));
    assertEquals(new Owner("inst-same", 2), accounts.load("d-3").orElseThrow().owner());
  }

  @Test
  void activeUnownedMissingAccounts_andAClaimerWithoutALiveLease_areRefused() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    accounts.create(Account.newAccount("act", "shop", "+40700000001", clock.instant()));
    leases.renew("inst-dead", TTL, "v1", 0, 0);
    assertTrue(leases.claim("act", "inst-dead").claimed());
    clock.advance(TTL.plus(SKEW).plusSeconds(1));
    leases.renew("inst-a", TTL, "v1", 0, 0);
    assertEquals("account is not being deleted", leases.claimForDeletion("act", "inst-a").refusal(),
        "an active account is for claimBatch");
    assertEquals(new Owner("inst-dead", 1), accounts.load("act").orElseThrow().owner());

    accounts.create(Account.newAccount("unowned", "shop", "+40700000002", clock.instant()));
    accounts.markDeleted("unowned", new AccountCommand(AccountCommand.Kind.LOGOUT, clock.instant()), SKEW);
    assertEquals("account has no owner", leases.claimForDeletion("unowned", "inst-a").refusal(),
        "the API deletes an unowned account itself");

    assertEquals("account does not exist", leases.claimForDeletion("missing", "inst-a").refusal());
    assertFalse(accounts.load("missing").isPresent());

    deletedWhileOwnedBy("d-4", "inst-dead2");
    clock.advance(TTL.plus(SKEW).plusSeconds(1));
    assertEquals("claimer has no live lease", leases.claimForDeletion("d-4", "inst-a").refusal());
    assertEquals(new Owner("inst-dead2", 1), accounts.load("d-4").orElseThrow().owner());
    assertThrows(InvalidDocumentIdException.class, () -> leases.claimForDeletion("a/b", "inst-a"));
  }

  /** Creates, claims for {@code instanceId} (lease now + TTL), and marks DELETED while that owner is live (the 202). */
  private Owner deletedWhileOwnedBy(String id, String instanceId) {
    accounts.create(Account.newAccount(id, "shop", "+40700000099", clock.instant()));
    leases.renew(instanceId, TTL, "v1", 0, 0);
    Owner owner = leases.claim(id, instanceId).owner();
    AccountStore.MarkedDeleted marked = accounts.markDeleted(id,
        new AccountCommand(AccountCommand.Kind.LOGOUT, clock.instant()), SKEW);
    assertEquals(AccountStore.DeleteDecision.LOGOUT_REQUESTED, marked.decision());
    return owner;
  }
}
