package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.WaClient;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.KeepAliveTimeout;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server faults end the connection with the right reason within a bound, never a hang. */
class ClientFaultsIT {

  private WaSimulator sim;
  private final List<WaClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    clients.forEach(WaClient::close);
    if (sim != null) {
      sim.close();
    }
    ClientSupport.assertNoClientThreads();
  }

  /**
   * Pairs with normal settings, then logs in a fresh connection whose clock stands still: the
   * 200 ms keepalive pings run, but silence counts as zero however slowly the login goes on a
   * busy machine. Only once the server stalls does the test move the clock, so "nothing received
   * for interval + timeout" follows from the stall and not from the machine's speed.
   */
  @Test
  void stalledServer_keepAliveTimesOut_connectionLost() throws Exception {
    Opened paired = pair("40700000010", Duration.ofSeconds(30), Duration.ofSeconds(10));
    StoppedClock clock = new StoppedClock(Instant.now());
    EventRecorder events = new EventRecorder();
    WaClient client = track(ClientSupport.client(paired.auth, sim, events).clock(clock)
        .keepAliveInterval(Duration.ofMillis(200)).keepAliveTimeout(Duration.ofSeconds(10))
        .build());
    ClientSupport.connectUntilOpen(client, events, 1);
    assertEquals(1, paired.admin.fault("stall", 0, paired.device), "the client's one connection");
    clock.advance(Duration.ofMinutes(1));
    KeepAliveTimeout timeout = events.await(KeepAliveTimeout.class, WAIT);
    Disconnected lost = events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.CONNECTION_LOST, lost.reason(), lost.toString());
    assertEquals(408, lost.rawCode());
    assertTrue(lost.detail().startsWith("keepalive timeout: nothing received"), lost.detail());
    assertTrue(timeout.silentFor().compareTo(Duration.ofMinutes(1)) >= 0, timeout.toString());
  }

  @Test
  void droppedSocket_connectionLost() throws Exception {
    Opened opened = pairAndOpen("40700000011", Duration.ofSeconds(30), Duration.ofSeconds(10));
    assertEquals(1, opened.admin.fault("drop", 0, opened.device), "the client's one connection");
    Disconnected lost = opened.events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.CONNECTION_LOST, lost.reason(), lost.toString());
  }

  @Test
  void streamError440_connectionReplaced() throws Exception {
    Opened opened = pairAndOpen("40700000012", Duration.ofSeconds(30), Duration.ofSeconds(10));
    assertEquals(1, opened.admin.fault("stream-error", 440, opened.device), "the client's one connection");
    Disconnected replaced = opened.events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.CONNECTION_REPLACED, replaced.reason(), replaced.toString());
    assertEquals(440, replaced.rawCode());
    assertTrue(replaced.reason().isPermanent());
  }

  @Test
  void streamErrorUnknownCode_unknownKeepsRawCode() throws Exception {
    Opened opened = pairAndOpen("40700000013", Duration.ofSeconds(30), Duration.ofSeconds(10));
    assertEquals(1, opened.admin.fault("stream-error", 599, opened.device), "the client's one connection");
    Disconnected unknown = opened.events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.UNKNOWN, unknown.reason(), unknown.toString());
    assertEquals(599, unknown.rawCode());
  }

  @Test
  void silentServer_connectTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          accepted.add(silent.accept());
        } catch (Exception e) {
          // closed by the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      EventRecorder events = new EventRecorder();
      WaClient client = track(WaClient.builder(InMemoryAuthState.create())
          .serverUri(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/ws/chat"))
          .listener(events).connectTimeout(Duration.ofMillis(500)).build());
      client.connect();
      Disconnected timedOut = events.await(Disconnected.class, WAIT);
      assertEquals(DisconnectReason.TIMED_OUT, timedOut.reason(), timedOut.toString());
      assertTrue(timedOut.detail().contains("connect timed out"), timedOut.detail());
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void qrRefsExhausted_timedOut() throws Exception {
    sim = WaSimulator.start(SimulatorConfig.builder().postHandshakeDelay(Duration.ofMillis(20))
        .refCount(2).build());
    EventRecorder events = new EventRecorder();
    WaClient client = track(ClientSupport.client(InMemoryAuthState.create(), sim, events)
        .qrFirstTtl(Duration.ofMillis(150)).qrNextTtl(Duration.ofMillis(100)).build());
    client.connect();
    Disconnected timedOut = events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.TIMED_OUT, timedOut.reason(), timedOut.toString());
    assertEquals("QR refs attempts ended", timedOut.detail());
    assertEquals(2, events.count(QrCodeUpdated.class));
  }

  private record Opened(SimulatorAdminClient admin, EventRecorder events, String device,
      InMemoryAuthState auth) {
  }

  private Opened pairAndOpen(String phone, Duration interval, Duration timeout) throws Exception {
    Opened paired = pair(phone, interval, timeout);
    ClientSupport.connectUntilOpen(clients.get(clients.size() - 1), paired.events, 1);
    return paired;
  }

  /** Pairs a new device of {@code phone}; returns after the RESTART_REQUIRED that follows. */
  private Opened pair(String phone, Duration interval, Duration timeout) throws Exception {
    sim = ClientSupport.startSimulator();
    SimulatorAdminClient admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(phone);
    EventRecorder events = new EventRecorder();
    InMemoryAuthState auth = InMemoryAuthState.create();
    WaClient client = track(ClientSupport.client(auth, sim, events)
        .keepAliveInterval(interval).keepAliveTimeout(timeout).build());
    PairSuccess paired = ClientSupport.pair(client, events, admin, phone);
    return new Opened(admin, events, paired.deviceJid().toString(), auth);
  }

  /** A clock that moves only when the test says so. */
  private static final class StoppedClock extends Clock {
    private volatile Instant now;

    StoppedClock(Instant start) {
      now = start;
    }

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

  private WaClient track(WaClient client) {
    clients.add(client);
    return client;
  }
}
