package io.wafleet.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.ConnectionState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.KeepAliveTimeout;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.transport.BaileysCompatibleCertificateVerifier;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The keepalive's randomized waits (§7.5; whatsmeow's 20–30 s) and its dead-socket detection,
 * driven by manual timers, a stepped clock and a seeded random: no waiting. The server side is a
 * loopback that answers each ping through the real {@link IqRequests}, or stays silent.
 */
class KeepAliveTest {

  private static final Duration MIN = Duration.ofSeconds(20);
  private static final Duration MAX = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void waits_drawnAnewPerPing_withinMinAndMax_spreadOverTheRange() {
    Connection c = new Connection(MIN, MAX, 1);
    c.keepAlive.start();
    for (int i = 0; i < 60; i++) {
      c.fireNextTick();
    }
    assertEquals(60, c.server.pings.size(), "one ping per tick, all answered");
    List<Duration> waits = c.ticks.delays;
    assertEquals(61, waits.size(), "the first wait, then one per tick");
    for (Duration wait : waits) {
      assertTrue(wait.compareTo(MIN) >= 0 && wait.compareTo(MAX) <= 0, wait.toString());
    }
    assertTrue(new HashSet<>(waits).size() > 50, "drawn anew per ping: " + waits);
    Duration mid = MIN.plus(MAX).dividedBy(2);
    assertTrue(waits.stream().anyMatch(w -> w.compareTo(mid) < 0), "some in the lower half");
    assertTrue(waits.stream().anyMatch(w -> w.compareTo(mid) > 0), "some in the upper half");
    assertEquals(ConnectionState.LOGGING_IN, c.lifecycle.state().current(), "still alive");
  }

  @Test
  void waits_comeFromTheInjectedRandom_sameSeedSameWaits() {
    Connection first = new Connection(MIN, MAX, 7);
    Connection second = new Connection(MIN, MAX, 7);
    first.keepAlive.start();
    second.keepAlive.start();
    for (int i = 0; i < 5; i++) {
      first.fireNextTick();
      second.fireNextTick();
    }
    assertEquals(first.ticks.delays, second.ticks.delays);
  }

  @Test
  void connectionsStartedTogether_pingAtDifferentOffsets() {
    Connection a = new Connection(MIN, MAX, 1);
    Connection b = new Connection(MIN, MAX, 2);
    a.keepAlive.start();
    b.keepAlive.start();
    int apart = 0;
    Set<Duration> offsets = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      a.fireNextTick();
      b.fireNextTick();
      Duration pingA = Duration.between(a.started, a.server.pingTimes.get(i));
      Duration pingB = Duration.between(b.started, b.server.pingTimes.get(i));
      offsets.add(pingA.minus(pingB).abs());
      if (!pingA.equals(pingB)) {
        apart++;
      }
    }
    assertEquals(10, apart, "no ping of one connection at the same offset as the other's");
    assertTrue(offsets.size() > 1, "the gap between them changes from ping to ping: " + offsets);
  }

  @Test
  void equalMinAndMax_fixedInterval() {
    Connection c = new Connection(MAX, MAX, 1);
    c.keepAlive.start();
    for (int i = 0; i < 3; i++) {
      c.fireNextTick();
    }
    assertEquals(List.of(MAX, MAX, MAX, MAX), c.ticks.delays);
  }

  @Test
  void pingUnanswered_keepAliveTimeout_thenConnectionLost() {
    Connection c = new Connection(MIN, MAX, 1);
    c.keepAlive.start();
    c.fireNextTick();
    c.server.answering = false;
    c.fireNextTick();
    assertEquals(List.of(TIMEOUT, TIMEOUT), c.iqTimers.delays, "each ping waits keepAliveTimeout");
    c.clock.advance(TIMEOUT);
    c.iqTimers.tasks.get(1).run();
    assertDead(c, "ping unanswered");
  }

  @Test
  void silenceLongerThanTheDrawnWaitPlusTimeout_connectionLostAtTheTick() {
    Connection c = new Connection(MIN, MAX, 3);
    c.keepAlive.start();
    c.fireNextTick();
    c.server.answering = false;
    // The server's last frame arrived with the answer to the first ping, exactly the drawn wait
    // before the second tick; the clock then jumps (a stall the iq timer has not reported yet).
    Duration wait = c.ticks.delays.get(1);
    c.clock.advance(wait.plus(TIMEOUT).plusMillis(1));
    c.ticks.tasks.get(1).run();
    assertEquals(1, c.server.pings.size(), "no ping on a socket found dead");
    assertDead(c, "nothing received");
    KeepAliveTimeout timeout = (KeepAliveTimeout) c.events.get(0);
    assertEquals(wait.plus(TIMEOUT).plusMillis(1), timeout.silentFor());
  }

  @Test
  void silenceOfExactlyTheDrawnWaitPlusTimeout_stillAlive_pings() {
    Connection c = new Connection(MIN, MAX, 3);
    c.keepAlive.start();
    c.fireNextTick();
    Duration wait = c.ticks.delays.get(1);
    assertNotEquals(MAX, wait, "a drawn wait below the maximum, so the bound is the drawn one");
    c.clock.advance(wait.plus(TIMEOUT));
    c.ticks.tasks.get(1).run();
    assertEquals(2, c.server.pings.size());
    assertEquals(ConnectionState.LOGGING_IN, c.lifecycle.state().current());
    assertTrue(c.events.isEmpty(), c.events.toString());
  }

  @Test
  void closedConnection_tickDoesNothing() {
    Connection c = new Connection(MIN, MAX, 1);
    c.keepAlive.start();
    c.lifecycle.closeQuietly();
    c.ticks.tasks.get(0).run();
    assertTrue(c.server.pings.isEmpty());
    assertEquals(1, c.ticks.tasks.size(), "no further tick");
  }

  private static void assertDead(Connection c, String why) {
    assertEquals(ConnectionState.CLOSED, c.lifecycle.state().current());
    assertEquals(2, c.events.size(), c.events.toString());
    assertInstanceOf(KeepAliveTimeout.class, c.events.get(0));
    Disconnected lost = assertInstanceOf(Disconnected.class, c.events.get(1));
    assertEquals(DisconnectReason.CONNECTION_LOST, lost.reason());
    assertTrue(lost.detail().startsWith("keepalive timeout: " + why), lost.detail());
  }

  /** One connection's keepalive after the handshake, with its server loopback. */
  private static final class Connection {
    final SteppedClock clock = new SteppedClock();
    final Instant started = clock.instant();
    final ManualScheduler ticks = new ManualScheduler();
    final ManualScheduler iqTimers = new ManualScheduler();
    final List<WaEvent> events = new ArrayList<>();
    final EventSink sink = new EventSink(events::add, Runnable::run);
    final ConnectionLifecycle lifecycle =
        new ConnectionLifecycle(new ConnectionStateMachine("keepalive-test"), sink);
    final PingServer server;
    final KeepAlive keepAlive;

    Connection(Duration min, Duration max, int seed) {
      ClientConfig config = new ClientConfig(URI.create("ws://loopback"), "o",
          new BaileysCompatibleCertificateVerifier(), null, clock, null, seeded(seed),
          Duration.ofSeconds(20), min, max, TIMEOUT, Duration.ofSeconds(60), Duration.ofSeconds(60),
          Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofMinutes(1), 5, 1 << 20,
          Duration.ofSeconds(30), null);
      server = new PingServer(clock, new IqRequests(new Random(seed), iqTimers));
      keepAlive = new KeepAlive(config, server, sink, ticks, lifecycle, () -> server.lastReceived);
      lifecycle.state().moveTo(ConnectionState.CONNECTING);
      lifecycle.state().moveTo(ConnectionState.HANDSHAKING);
      lifecycle.handshakeFinished(false);
    }

    /** Lets the next wait pass on the clock and runs the tick it ends. */
    void fireNextTick() {
      int next = server.pings.size();
      clock.advance(ticks.delays.get(next));
      ticks.tasks.get(next).run();
    }

    private static SecureRandom seeded(int seed) {
      try {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        return random;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * The server end of the connection: records each ping with the time it was sent and, while
   * {@code answering}, answers it at once (which counts as a received frame).
   */
  private static final class PingServer implements NodeChannel {
    final SteppedClock clock;
    final IqRequests iqs;
    final List<Node> pings = new ArrayList<>();
    final List<Instant> pingTimes = new ArrayList<>();
    boolean answering = true;
    Instant lastReceived;

    PingServer(SteppedClock clock, IqRequests iqs) {
      this.clock = clock;
      this.iqs = iqs;
      this.lastReceived = clock.instant();
    }

    @Override
    public void send(Node node) {
      throw new IllegalStateException("the keepalive only queries: " + node);
    }

    @Override
    public CompletableFuture<Node> query(Node iq, Duration timeout) {
      String id = iqs.nextId();
      CompletableFuture<Node> reply = iqs.register(id, timeout);
      Node sent = WireProtocol.withId(iq, id);
      assertEquals("w:p", sent.attr("xmlns"));
      pings.add(sent);
      pingTimes.add(clock.instant());
      if (answering) {
        lastReceived = clock.instant();
        iqs.resolve(Node.of("iq", Node.attrsOf("id", id, "type", "result",
            "from", WireProtocol.SERVER)));
      }
      return reply;
    }
  }

  /** Holds scheduled tasks until the test runs them. */
  private static final class ManualScheduler implements TaskScheduler {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      tasks.add(task);
      delays.add(delay);
      return () -> { };
    }
  }

  /** A clock that stands still until advanced. */
  private static final class SteppedClock extends Clock {
    private Instant now = Instant.parse("2026-12-02T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
