package io.wafleet.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.ListenerRegistration;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import io.wafleet.common.model.QrCode;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountStoreIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");
  private final ManualClock clock = new ManualClock(T0);
  private AccountStore accounts;

  @BeforeEach
  void setUp() {
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
  }

  @Test
  void createLoad_everyField_roundTrips() {
    Account full = Account.newAccount("acc-1", "Support RO", "+40700000001", T0).toBuilder()
        .status(AccountStatus.DISCONNECTED).qr(new QrCode("2@ref,a,b,c", T0.plusSeconds(60)))
        .pairingCode("ABCD1234").pairingPhone("+40700000001").lastError("wa-connection-lost")
        .lastDisconnectReason("CONNECTION_LOST").lastDisconnectAt(T0.plusSeconds(1)).reconnectAttempts(3)
        .recentReconnects(List.of(T0.minusSeconds(30), T0.plusSeconds(1)))
        .nextRetryAt(T0.plusSeconds(8)).connectedAt(T0.minusSeconds(60)).lastEventAt(T0)
        .lastMessageAt(T0.minusSeconds(5)).owner(new Owner("inst-a", 4))
        .command(new AccountCommand(AccountCommand.Kind.RECONNECT, T0)).build();
    accounts.create(full);
    assertEquals(full, accounts.load("acc-1").orElseThrow());
  }

  @Test
  void create_existingId_throwsAlreadyExists() {
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", T0));
    assertThrows(AlreadyExistsStoreException.class,
        () -> accounts.create(Account.newAccount("acc-1", "b", "+40700000002", T0)));
  }

  @Test
  void load_missing_isEmpty_andInvalidIdNamesField() {
    assertTrue(accounts.load("nobody").isEmpty());
    InvalidDocumentIdException e = assertThrows(InvalidDocumentIdException.class, () -> accounts.load("a/b"));
    assertEquals("accountId", e.field());
  }

  @Test
  void load_corruptDocument_throwsNamingPathAndField() throws Exception {
    FIRESTORE.firestore().collection("accounts").document("bad")
        .set(Map.of("name", "x", "phoneE164", "+40700000001", "status", "SLEEPING", "desired", "ACTIVE")).get();
    CorruptDocumentException e = assertThrows(CorruptDocumentException.class, () -> accounts.load("bad"));
    assertEquals("status", e.field());
    assertEquals("accounts/bad", e.path());
  }

  @Test
  void list_pagesInIdOrder() {
    for (String id : List.of("c", "a", "d", "b")) {
      accounts.create(Account.newAccount(id, id, "+40700000001", T0));
    }
    assertEquals(List.of("a", "b"), accounts.list(2, null).stream().map(Account::id).toList());
    assertEquals(List.of("c", "d"), accounts.list(2, "b").stream().map(Account::id).toList());
    assertThrows(InvalidFieldException.class, () -> accounts.list(0, null));
  }

  @Test
  void update_missing_throwsNotFound_andStampsUpdatedAt() {
    assertThrows(NotFoundStoreException.class, () -> accounts.update("nobody", a -> a));
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", T0));
    clock.advance(java.time.Duration.ofSeconds(5));
    Account stopped = accounts.update("acc-1", a -> a.toBuilder().desired(DesiredState.STOPPED).build());
    assertEquals(DesiredState.STOPPED, accounts.load("acc-1").orElseThrow().desired());
    assertEquals(T0.plusSeconds(5), stopped.updatedAt());
  }

  @Test
  void updateAsOwner_staleGeneration_isFencedAndWritesNothing() {
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", T0).toBuilder()
        .owner(new Owner("inst-b", 2)).build());
    FencingException e = assertThrows(FencingException.class, () -> accounts.updateAsOwner("acc-1",
        new Owner("inst-a", 1), a -> a.toBuilder().status(AccountStatus.CONNECTED).build()));
    assertEquals(new Owner("inst-b", 2), e.actual());
    assertEquals(AccountStatus.PENDING, accounts.load("acc-1").orElseThrow().status());
    accounts.updateAsOwner("acc-1", new Owner("inst-b", 2), a -> a.toBuilder().status(AccountStatus.CONNECTED).build());
    assertEquals(AccountStatus.CONNECTED, accounts.load("acc-1").orElseThrow().status());
  }

  @Test
  void updateAllAsOwner_writesOwnedAccounts_refusesEachOtherOnItsOwn_andAppliesOneAccountsUpdatesInOrder()
      throws Exception {
    Owner a = new Owner("inst-a", 1);
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", T0).toBuilder().owner(a).build());
    accounts.create(Account.newAccount("acc-2", "b", "+40700000002", T0).toBuilder()
        .owner(new Owner("inst-b", 3)).build());
    FIRESTORE.firestore().collection("accounts").document("acc-3")
        .set(Map.of("name", "x", "phoneE164", "+40700000003", "status", "SLEEPING", "desired", "ACTIVE")).get();
    clock.advance(java.time.Duration.ofSeconds(7));

    List<AccountStore.OwnerUpdateOutcome> out = accounts.updateAllAsOwner(List.of(
        new AccountStore.OwnerUpdate("acc-1", a, x -> x.toBuilder().status(AccountStatus.CONNECTING).build()),
        new AccountStore.OwnerUpdate("acc-2", a, x -> x.toBuilder().status(AccountStatus.CONNECTED).build()),
        new AccountStore.OwnerUpdate("nobody", a, x -> x),
        new AccountStore.OwnerUpdate("acc-3", a, x -> x),
        new AccountStore.OwnerUpdate("acc-1", a, x -> x.toBuilder().owner(new Owner("inst-a", 2)).build()),
        new AccountStore.OwnerUpdate("acc-1", a, x -> x.toBuilder().lastError(x.status().name()).build())));

    assertEquals(6, out.size());
    assertEquals(AccountStatus.CONNECTING, out.get(0).orThrow().status());
    assertEquals(new Owner("inst-b", 3), assertThrows(FencingException.class, out.get(1)::orThrow).actual());
    assertThrows(NotFoundStoreException.class, out.get(2)::orThrow);
    assertEquals("status", assertThrows(CorruptDocumentException.class, out.get(3)::orThrow).field());
    assertThrows(IllegalArgumentException.class, out.get(4)::orThrow, "an owner change is refused on its own");
    Account stored = accounts.load("acc-1").orElseThrow();
    assertEquals(AccountStatus.CONNECTING, stored.status());
    assertEquals("CONNECTING", stored.lastError(), "the later update saw the earlier one");
    assertEquals(a, stored.owner());
    assertEquals(T0.plusSeconds(7), stored.updatedAt());
    assertEquals(stored, out.get(5).orThrow());
    assertEquals(AccountStatus.PENDING, accounts.load("acc-2").orElseThrow().status(), "a refused update writes nothing");
    assertTrue(accounts.load("nobody").isEmpty(), "a missing account is not created");
    assertEquals(List.of(), accounts.updateAllAsOwner(List.of()));
  }

  @Test
  void reconnectAt_keepsTheNewestTenInTheSameWrite_andListDisconnectedSinceFindsTheAccount() {
    Owner owner = new Owner("inst-a", 1);
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", T0).toBuilder().owner(owner).build());
    accounts.create(Account.newAccount("acc-2", "b", "+40700000002", T0).toBuilder()
        .lastDisconnectAt(T0.minusSeconds(3600)).build());
    for (int i = 1; i <= 12; i++) {
      Instant at = T0.plusSeconds(i * 60L);
      accounts.updateAsOwner("acc-1", owner, a -> a.toBuilder().status(AccountStatus.DISCONNECTED).reconnectAt(at).build());
    }
    Account a = accounts.load("acc-1").orElseThrow();
    assertEquals(Account.RECENT_RECONNECTS_KEPT, a.recentReconnects().size());
    assertEquals(T0.plusSeconds(3 * 60), a.recentReconnects().get(0), "the two oldest were dropped");
    assertEquals(T0.plusSeconds(12 * 60), a.recentReconnects().get(9));
    assertEquals(T0.plusSeconds(12 * 60), a.lastDisconnectAt());
    assertEquals(6, a.reconnectsAfter(T0.plusSeconds(6 * 60)));
    assertEquals(List.of("acc-1"), accounts.listDisconnectedSince(T0).stream().map(Account::id).toList());
    assertEquals(List.of("acc-1", "acc-2"), accounts.listDisconnectedSince(T0.minusSeconds(3600)).stream()
        .map(Account::id).sorted().toList());
  }

  @Test
  void load_recentReconnectsNotTimestamps_throwsNamingTheField() throws Exception {
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", T0));
    FIRESTORE.firestore().collection("accounts").document("acc-1").update("recentReconnects", List.of("yesterday")).get();
    CorruptDocumentException e = assertThrows(CorruptDocumentException.class, () -> accounts.load("acc-1"));
    assertEquals("recentReconnects", e.field());
  }

  @Test
  void countByStatus_countsEachStatus() {
    accounts.create(Account.newAccount("a", "a", "+40700000001", T0));
    accounts.create(Account.newAccount("b", "b", "+40700000002", T0).toBuilder().status(AccountStatus.CONNECTED).build());
    accounts.create(Account.newAccount("c", "c", "+40700000003", T0).toBuilder().status(AccountStatus.CONNECTED).build());
    Map<AccountStatus, Long> counts = accounts.countByStatus();
    assertEquals(1L, counts.get(AccountStatus.PENDING));
    assertEquals(2L, counts.get(AccountStatus.CONNECTED));
    assertEquals(0L, counts.get(AccountStatus.LOGGED_OUT));
  }

  @Test
  void listen_seesCreateAndDesiredChange() throws Exception {
    LinkedBlockingQueue<List<String>> seen = new LinkedBlockingQueue<>();
    ListenerRegistration registration = accounts.listen(DesiredState.ACTIVE,
        list -> seen.add(list.stream().map(Account::id).toList()), e -> seen.add(List.of("error:" + e)));
    try {
      assertEquals(List.of(), seen.poll(10, TimeUnit.SECONDS));
      accounts.create(Account.newAccount("acc-1", "a", "+40700000001", T0));
      assertEquals(List.of("acc-1"), seen.poll(10, TimeUnit.SECONDS));
      accounts.update("acc-1", a -> a.toBuilder().desired(DesiredState.STOPPED).build());
      assertEquals(List.of(), seen.poll(10, TimeUnit.SECONDS));
    } finally {
      registration.remove();
    }
  }

  @Test
  void listen_rereadsOnlyChangedDocuments_andLeavesOutACorruptOneWithoutDroppingTheRest() throws Exception {
    LinkedBlockingQueue<List<Account>> seen = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Exception> errors = new LinkedBlockingQueue<>();
    accounts.create(Account.newAccount("acc-1", "a", "+40700000001", T0));
    accounts.create(Account.newAccount("acc-2", "b", "+40700000002", T0));
    ListenerRegistration registration = accounts.listen(DesiredState.ACTIVE, seen::add, errors::add);
    try {
      List<Account> first = seen.poll(10, TimeUnit.SECONDS);
      assertEquals(List.of("acc-1", "acc-2"), first.stream().map(Account::id).toList());

      accounts.update("acc-2", a -> a.toBuilder().name("b2").build());
      List<Account> second = seen.poll(10, TimeUnit.SECONDS);
      org.junit.jupiter.api.Assertions.assertSame(first.get(0), second.get(0), "an unchanged account is not read again");
      assertEquals("b2", second.get(1).name());

      FIRESTORE.firestore().collection("accounts").document("acc-0")
          .set(Map.of("desired", "ACTIVE", "name", 42)).get();
      Exception corrupt = errors.poll(10, TimeUnit.SECONDS);
      assertTrue(corrupt instanceof CorruptDocumentException, String.valueOf(corrupt));
      assertEquals(List.of("acc-1", "acc-2"), seen.poll(10, TimeUnit.SECONDS).stream().map(Account::id).toList(),
          "the readable accounts are still delivered");

      accounts.create(Account.newAccount("acc-3", "c", "+40700000003", T0));
      assertEquals(List.of("acc-1", "acc-2", "acc-3"),
          seen.poll(10, TimeUnit.SECONDS).stream().map(Account::id).toList());
      assertEquals(null, errors.poll(), "a corrupt document is reported once, not on every snapshot");
    } finally {
      registration.remove();
    }
  }
}
