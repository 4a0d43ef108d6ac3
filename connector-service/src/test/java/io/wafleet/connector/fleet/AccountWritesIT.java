package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.schema.FirestoreSchema;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.FencingException;
import io.wafleet.common.store.StoreException;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.connector.testing.HeldLock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The grouped owner writes against the emulator: writes that wait behind a commit go together into
 * the next one, each still fenced on its own; a commit failed by one locked document writes the rest
 * one by one. A commit is held open by a change that waits on a latch, so what is queued is known.
 */
@Timeout(120)
class AccountWritesIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Owner OWNER = new Owner("inst-a", 1);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T21:00:00Z"));
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private AccountStore accounts;

  @BeforeEach
  void setUp() {
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
  }

  @AfterEach
  void tearDown() {
    callers.shutdownNow();
  }

  @Test
  void writesSubmittedDuringACommit_returnAtOnce_goIntoTheNextOneTogether_andARefusalReachesOnlyItsWrite() throws Exception {
    for (int i = 0; i <= 8; i++) {
      create("acc-" + i, i == 5 ? new Owner("inst-b", 2) : OWNER);
    }
    AccountWrites writes = new AccountWrites(accounts, 50, 1);
    HeldCommit held = holdACommit(writes);
    List<CompletableFuture<Account>> waiting = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      // Submitted from this thread: the call returns at once, the write waits for the next commit.
      waiting.add(writes.submit("acc-" + i, OWNER, a -> a.toBuilder().status(AccountStatus.CONNECTED).build()));
      assertEquals(i, writes.queued());
    }
    assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), "nothing decided while the commit is held");

    held.release().countDown();
    assertEquals(AccountStatus.CONNECTED, held.first().get(30, TimeUnit.SECONDS).status());
    for (int i = 1; i <= 8; i++) {
      CompletableFuture<Account> w = waiting.get(i - 1);
      if (i == 5) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> w.get(30, TimeUnit.SECONDS));
        FencingException fenced = assertInstanceOf(FencingException.class, e.getCause());
        assertEquals(new Owner("inst-b", 2), fenced.actual());
        assertEquals(AccountStatus.PENDING, accounts.load("acc-5").orElseThrow().status(), "a refused write writes nothing");
      } else {
        assertEquals(AccountStatus.CONNECTED, w.get(30, TimeUnit.SECONDS).status());
        assertEquals(AccountStatus.CONNECTED, accounts.load("acc-" + i).orElseThrow().status());
      }
    }
    assertEquals(9, writes.writes());
    assertEquals(2, writes.commits(), "the eight waiting writes took one commit");
    assertEquals(0, writes.queued());
  }

  @Test
  void aGroupedCommitFailedByOneLockedAccount_writesTheOthersOnTheirOwn() throws Exception {
    for (String id : List.of("acc-0", "acc-a", "acc-b", "acc-c")) {
      create(id, OWNER);
    }
    // What a process killed in the middle of a write leaves: a transaction holding acc-b's lock.
    HeldLock lock = HeldLock.on(FIRESTORE.firestore(),
        FIRESTORE.firestore().collection(FirestoreSchema.ACCOUNTS).document("acc-b"));

    AccountWrites writes = new AccountWrites(accounts, 50, 1);
    HeldCommit held = holdACommit(writes);
    List<CompletableFuture<Account>> grouped = new ArrayList<>();
    for (String id : List.of("acc-a", "acc-c", "acc-b")) {
      grouped.add(write(writes, id, a -> a.toBuilder().status(AccountStatus.CONNECTED).build()));
      int expected = grouped.size();
      awaitQueued(() -> writes.queued(), expected);
    }
    held.release().countDown();
    held.first().get(30, TimeUnit.SECONDS);

    try {
      assertEquals(AccountStatus.CONNECTED, grouped.get(0).get(90, TimeUnit.SECONDS).status());
      assertEquals(AccountStatus.CONNECTED, grouped.get(1).get(90, TimeUnit.SECONDS).status());
      assertEquals(AccountStatus.CONNECTED, accounts.load("acc-a").orElseThrow().status());
      assertEquals(AccountStatus.CONNECTED, accounts.load("acc-c").orElseThrow().status());
    } finally {
      lock.close();
    }
    try {
      assertEquals(AccountStatus.CONNECTED, grouped.get(2).get(90, TimeUnit.SECONDS).status(),
          "the locked account's write, tried on its own, lands once the lock is gone");
    } catch (ExecutionException e) {
      assertInstanceOf(StoreException.class, e.getCause(), "or it fails as a store error the supervisor logs");
    }
    assertEquals(4, writes.writes());
    assertEquals(5, writes.commits(), "the first, the failed group of three, then each of the three alone");
  }

  @Test
  void settings_outOfRange_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> new AccountWrites(accounts, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new AccountWrites(accounts, AccountStore.MAX_UPDATES_PER_COMMIT + 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new AccountWrites(accounts, 10, 0));
  }

  /** A write of acc-0 whose commit stays under way until {@code release} is counted down. */
  private record HeldCommit(CompletableFuture<Account> first, CountDownLatch release) {}

  private HeldCommit holdACommit(AccountWrites writes) throws InterruptedException {
    CountDownLatch inCommit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Account> first = write(writes, "acc-0", a -> {
      inCommit.countDown();
      await(release);
      return a.toBuilder().status(AccountStatus.CONNECTED).build();
    });
    assertTrue(inCommit.await(30, TimeUnit.SECONDS), "the first commit is under way");
    return new HeldCommit(first, release);
  }

  private void create(String id, Owner owner) {
    accounts.create(Account.newAccount(id, id, "+40700000001", clock.instant()).toBuilder().owner(owner).build());
  }

  private CompletableFuture<Account> write(AccountWrites writes, String id, java.util.function.UnaryOperator<Account> change) {
    return CompletableFuture.supplyAsync(() -> writes.updateAsOwner(id, OWNER, change), callers);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitQueued(IntSupplier queued, int expected) {
    org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> queued.getAsInt() == expected);
  }
}
