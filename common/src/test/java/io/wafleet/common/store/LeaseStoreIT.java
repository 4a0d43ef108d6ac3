package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Lease;
import io.wafleet.common.model.Owner;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaseStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration SKEW = Duration.ofSeconds(5);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
  private LeaseStore leases;
  private AccountStore accounts;

  @BeforeEach
  void setUp() {
    leases = new LeaseStore(FIRESTORE.firestore(), clock, SKEW);
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", clock.instant()));
  }

  @Test
  void renew_createsThenExtends_keepingStartedAt() {
    Lease first = leases.renew("inst-a", TTL, "v1", 0, 1);
    clock.advance(Duration.ofSeconds(10));
    Lease second = leases.renew("inst-a", TTL, "v1", 3, 1);
    assertEquals(first.startedAt(), second.startedAt());
    assertEquals(clock.instant().plus(TTL), second.leaseUntil());
    assertEquals(second, leases.load("inst-a").orElseThrow());
  }

  @Test
  void claim_unowned_setsOwnerGenerationOne() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    ClaimResult result = leases.claim("acc-1", "inst-a");
    assertTrue(result.claimed());
    assertEquals(new Owner("inst-a", 1), accounts.load("acc-1").orElseThrow().owner());
  }

  @Test
  void claim_whenHolderLeaseLive_isRefused() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    leases.renew("inst-b", TTL, "v1", 0, 0);
    assertTrue(leases.claim("acc-1", "inst-a").claimed());
    ClaimResult second = leases.claim("acc-1", "inst-b");
    assertFalse(second.claimed());
    assertEquals(new Owner("inst-a", 1), second.owner());
  }

  @Test
  void claim_whenHolderLeaseLapsedBeyondSkew_takesOverAndBumpsGeneration() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    assertTrue(leases.claim("acc-1", "inst-a").claimed());
    clock.advance(TTL.plus(SKEW).minusSeconds(1));
    leases.renew("inst-b", TTL, "v1", 0, 0);
    assertFalse(leases.claim("acc-1", "inst-b").claimed(), "within the skew margin the lease still counts as live");
    clock.advance(Duration.ofSeconds(2));
    leases.renew("inst-b", TTL, "v1", 0, 0);
    ClaimResult takeover = leases.claim("acc-1", "inst-b");
    assertTrue(takeover.claimed());
    assertEquals(new Owner("inst-b", 2), takeover.owner());
  }

  @Test
  void claim_afterHolderReleased_takesOverAtOnce() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    leases.claim("acc-1", "inst-a");
    leases.release("inst-a");
    leases.renew("inst-b", TTL, "v1", 0, 0);
    assertTrue(leases.claim("acc-1", "inst-b").claimed());
  }

  @Test
  void claim_withoutOwnLiveLease_isRefused() {
    ClaimResult result = leases.claim("acc-1", "inst-a");
    assertFalse(result.claimed());
    assertNull(accounts.load("acc-1").orElseThrow().owner());
  }

  @Test
  void claim_stoppedAccount_isRefused() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    accounts.update("acc-1", a -> a.toBuilder().desired(DesiredState.STOPPED).build());
    assertFalse(leases.claim("acc-1", "inst-a").claimed());
  }

  @Test
  void releaseAccount_onlyByCurrentOwner() {
    leases.renew("inst-a", TTL, "v1", 0, 0);
    Owner owner = leases.claim("acc-1", "inst-a").owner();
    assertFalse(leases.releaseAccount("acc-1", new Owner("inst-a", 99)));
    assertTrue(leases.releaseAccount("acc-1", owner));
    assertNull(accounts.load("acc-1").orElseThrow().owner());
  }
}
