package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.ConnectionState;
import io.wafleet.client.RawAccess;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.DecryptionFailed;
import io.wafleet.client.message.MessageContent;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.phone.PhoneBook;
import io.wafleet.simulator.server.ServerContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections whose stanza handling is stuck must not stop the server's I/O for the others (issue
 * 8: the two ClientBadMessagesIT failures, docs/testing.md "Reliability"). The test holds the
 * monitor of account A's phone, so the pre-key count queries of A's two connections block inside
 * their handlers, and one of A's clients then sends a 2 MB frame, more than Java-WebSocket's pool
 * of 64 KB read buffers holds. While A stays stuck, a simulated phone's resend after B's retry
 * receipt reaches B, and C's first login reaches OPEN.
 *
 * <p>When handlers ran on Java-WebSocket's decoder threads, the selector parked in
 * {@code takeBuffer()} once A's frame had taken every read buffer, so the resend and C's
 * {@code <success>} were never written, and no deadlock showed in a thread dump. When the
 * connections' executors shared a fixed pool of one thread per CPU, two stuck connections held
 * every thread of this 2-CPU machine, with the same result.
 */
class StuckConnectionIT {

  private static final String A = "40713100001";
  private static final String B = "40713100002";
  private static final String C = "40713100003";
  private static final String PHONE = "40713100004";
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Larger than the read-buffer pool can take: at most 2·decoders+1 buffers of 64 KB. */
  private static final int BIG_FRAME = 2 * 1024 * 1024;

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private final List<MessagingPeer> peers = new ArrayList<>();
  private final List<CountDownLatch> releases = new ArrayList<>();
  private final List<Thread> holders = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    for (String phone : List.of(A, B, C, PHONE)) {
      admin.createPhone(phone);
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    releases.forEach(CountDownLatch::countDown);
    for (Thread holder : holders) {
      holder.join(TimeUnit.SECONDS.toMillis(10));
    }
    peers.forEach(MessagingPeer::close);
    sim.close();
  }

  @Test
  void connectionsStuckInTheirHandlers_othersGetTheirFramesAndLogIn() throws Exception {
    MessagingPeer a = loggedIn(A);
    MessagingPeer a2 = loggedIn(A);
    MessagingPeer b = loggedIn(B);
    MessagingPeer c = peer();
    ClientSupport.pair(c.client, c.events, admin, C);

    // The phone records B's retry receipt in its inbox before resending: holding the inbox's
    // monitor parks the phone there, so the resend is made only once A is stuck.
    Object phoneInbox = phoneInbox(sim, PHONE);
    CountDownLatch releaseInbox = holdMonitor(phoneInbox, "test-inbox-holder");
    String damaged = admin.send(PHONE, B + "@s.whatsapp.net", "resent while A is stuck",
        "no-session");
    awaitUntil(() -> b.events.history().stream().anyMatch(e -> e instanceof DecryptionFailed f
        && f.id().value().equals(damaged)), WAIT,
        () -> "B's decrypt failure " + b.events.history());
    awaitUntil(() -> blockedOn(phoneInbox) > 0, WAIT, () -> "B's retry receipt at the phone");

    Object phoneA = phones(sim).phone(A);
    CountDownLatch releaseA = holdMonitor(phoneA, "test-phone-holder");
    String countId = "stuck-count-1";
    assertTrue(RawAccess.sendRaw(a.client, countQuery(countId)));
    assertTrue(RawAccess.sendRaw(a2.client, countQuery(countId)));
    awaitUntil(() -> blockedOn(phoneA) == 2, WAIT,
        () -> "both of A's handlers blocked on its phone");
    assertTrue(RawAccess.sendRaw(a.client, Node.of("presence", Node.attrsOf("type", "available"),
        new byte[BIG_FRAME])));

    releaseInbox.countDown();
    awaitUntil(() -> b.stored().stream().anyMatch(m -> m.id().value().equals(damaged)), WAIT,
        () -> "the phone's resend at B; events " + b.events.history());
    assertEquals(new MessageContent.Text("resent while A is stuck"), b.stored().stream()
        .filter(m -> m.id().value().equals(damaged)).findFirst().orElseThrow().content());

    ClientSupport.connectUntilOpen(c.client, c.events, 1);
    assertEquals(ConnectionState.OPEN, c.client.state());

    assertEquals(2, blockedOn(phoneA),
        "A's two connections were still stuck while B and C were served");
    assertNull(ManagementFactory.getThreadMXBean().findDeadlockedThreads());
    releaseA.countDown();
    awaitUntil(() -> received(a, countId) && received(a2, countId), WAIT,
        () -> "A's counts answered once released");
    assertEquals(ConnectionState.OPEN, a.client.state());
    assertEquals(ConnectionState.OPEN, a2.client.state());
  }

  private MessagingPeer peer() {
    MessagingPeer peer = new MessagingPeer(InMemoryAuthState.create(), sim);
    peers.add(peer);
    return peer;
  }

  private MessagingPeer loggedIn(String phone) throws Exception {
    MessagingPeer peer = peer();
    ClientSupport.pair(peer.client, peer.events, admin, phone);
    ClientSupport.connectUntilOpen(peer.client, peer.events, 1);
    return peer;
  }

  private static Node countQuery(String id) {
    return Node.of("iq", Node.attrsOf("id", id, "xmlns", "encrypt", "type", "get",
        "to", "s.whatsapp.net"), List.of(Node.of("count")));
  }

  private static boolean received(MessagingPeer peer, String iqId) {
    synchronized (peer.inbound) {
      return peer.inbound.stream().anyMatch(n -> n.tag().equals("iq") && iqId.equals(n.attr("id")));
    }
  }

  /** Holds {@code monitor} on a thread of the test until the returned latch is released. */
  private CountDownLatch holdMonitor(Object monitor, String name) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    releases.add(release);
    Thread holder = new Thread(() -> {
      synchronized (monitor) {
        held.countDown();
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, name);
    holder.setDaemon(true);
    holder.start();
    holders.add(holder);
    assertTrue(held.await(10, TimeUnit.SECONDS), "monitor taken by " + name);
    return release;
  }

  /** Threads now BLOCKED entering {@code monitor}. */
  private static long blockedOn(Object monitor) {
    int identity = System.identityHashCode(monitor);
    ThreadInfo[] infos = ManagementFactory.getThreadMXBean().dumpAllThreads(true, false);
    return Arrays.stream(infos).filter(info -> info.getThreadState() == Thread.State.BLOCKED
        && info.getLockInfo() != null && info.getLockInfo().getIdentityHashCode() == identity)
        .count();
  }

  /** The simulator's phone book, whose phones' monitors guard their devices and pre-keys. */
  private static PhoneBook phones(WaSimulator sim) throws ReflectiveOperationException {
    return ((ServerContext) field(field(sim, "ws"), "context")).phones();
  }

  /** The inbox of a simulated phone's Signal peer, whose monitor guards what the phone received. */
  private static Object phoneInbox(WaSimulator sim, String number)
      throws ReflectiveOperationException {
    Map<?, ?> peers = (Map<?, ?>) field(field(sim, "peers"), "peers");
    return field(peers.get(number), "inbox");
  }

  // The simulator offers no handle on its locks; these tests need one to hold a handler still.
  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }
}
