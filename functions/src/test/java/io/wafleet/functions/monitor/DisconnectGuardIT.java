package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DisconnectGuardIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private AccountStore accounts;
  private IncidentStore incidents;
  private DisconnectGuard guard;

  @BeforeEach
  void setUp() {
    Firestore db = FIRESTORE.firestore();
    accounts = new AccountStore(db, clock);
    incidents = new IncidentStore(db, clock);
    guard = new DisconnectGuard(accounts, incidents, DisconnectGuard.DEFAULT_THRESHOLD, clock);
    accounts.create(Account.newAccount("a1", "Shop", "+40700000001", T0.minus(Duration.ofDays(1))).toBuilder()
        .status(AccountStatus.CONNECTED).connectedAt(T0.minus(Duration.ofHours(1))).build());
  }

  private void disconnectAt(Instant at) {
    accounts.update("a1", a -> a.toBuilder().status(AccountStatus.DISCONNECTED).lastDisconnectAt(at)
        .lastDisconnectReason("connection closed").build());
  }

  @Test
  void elevenMinuteDisconnect_opensExactlyOneIncident_andReconnectClosesItWithItsDuration() {
    disconnectAt(T0);
    for (int minute = 1; minute <= 10; minute++) {
      clock.set(T0.plus(Duration.ofMinutes(minute)));
      assertTrue(guard.run().opened().isEmpty(), "minute " + minute);
    }
    clock.set(T0.plus(Duration.ofMinutes(11)));
    GuardReport first = guard.run();
    assertEquals(1, first.opened().size());
    Incident opened = first.opened().get(0);
    assertEquals("disconnected", opened.type());
    assertEquals("a1", opened.subject());
    assertEquals(T0, opened.openedAt());

    clock.set(T0.plus(Duration.ofMinutes(12)));
    GuardReport doubled1 = guard.run();
    GuardReport doubled2 = guard.run();
    assertTrue(doubled1.opened().isEmpty());
    assertTrue(doubled2.opened().isEmpty());
    assertEquals(1, incidents.list(IncidentState.OPEN, 10).size());
    assertEquals(T0.plus(Duration.ofMinutes(12)), incidents.load(opened.id()).orElseThrow().lastCheckedAt());

    clock.set(T0.plus(Duration.ofMinutes(14)));
    accounts.update("a1", a -> a.toBuilder().status(AccountStatus.CONNECTED).connectedAt(clock.instant()).build());
    GuardReport back = guard.run();
    assertEquals(1, back.resolved().size());
    assertEquals("reconnected", back.resolved().get(0).resolution());
    assertEquals(Duration.ofMinutes(14), back.resolved().get(0).timeToRecover().orElseThrow());
    assertTrue(guard.run().resolved().isEmpty());
    assertTrue(incidents.list(IncidentState.OPEN, 10).isEmpty());
    assertEquals(1, incidents.list(IncidentState.RESOLVED, 10).size());
  }

  @Test
  void stoppingTheAccount_resolvesItsIncident_andStoppedAccountsOpenNone() {
    disconnectAt(T0);
    clock.set(T0.plus(Duration.ofMinutes(11)));
    assertEquals(1, guard.run().opened().size());
    accounts.update("a1", a -> a.toBuilder().desired(DesiredState.STOPPED).status(AccountStatus.STOPPED).build());
    clock.set(T0.plus(Duration.ofMinutes(30)));
    GuardReport r = guard.run();
    assertEquals(List.of("account no longer desired ACTIVE"), r.resolved().stream().map(Incident::resolution).toList());
    assertTrue(r.opened().isEmpty());
  }

  @Test
  void notConnectedSince_isTheLatestOfDisconnectConnectAndCreation() {
    Account a = Account.newAccount("x", "n", "+40700000001", T0).toBuilder().status(AccountStatus.CONNECTING)
        .lastDisconnectAt(T0.plusSeconds(5)).connectedAt(T0.plusSeconds(60)).build();
    assertEquals(T0.plusSeconds(60), DisconnectGuard.notConnectedSince(a).orElseThrow());
    assertTrue(DisconnectGuard.notConnectedSince(a.toBuilder().status(AccountStatus.CONNECTED).build()).isEmpty());
  }
}
