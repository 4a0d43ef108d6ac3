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
import java.time.Duration;
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

  @Test
  void stalledServer_keepAliveTimesOut_connectionLost() throws Exception {
    Opened opened = pairAndOpen("40700000010", Duration.ofMillis(200), Duration.ofMillis(300));
    assertEquals(1, opened.admin.fault("stall", 0, opened.device), "the client's one connection");
    long start = System.nanoTime();
    KeepAliveTimeout timeout = opened.events.await(KeepAliveTimeout.class, WAIT);
    Disconnected lost = opened.events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.CONNECTION_LOST, lost.reason(), lost.toString());
    assertEquals(408, lost.rawCode());
    assertTrue(lost.detail().startsWith("keepalive timeout"), lost.detail());
    assertTrue(timeout.silentFor().toMillis() >= 0);
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0);
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

  private record Opened(SimulatorAdminClient admin, EventRecorder events, String device) {
  }

  private Opened pairAndOpen(String phone, Duration interval, Duration timeout) throws Exception {
    sim = ClientSupport.startSimulator();
    SimulatorAdminClient admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(phone);
    EventRecorder events = new EventRecorder();
    WaClient client = track(ClientSupport.client(InMemoryAuthState.create(), sim, events)
        .keepAliveInterval(interval).keepAliveTimeout(timeout).build());
    PairSuccess paired = ClientSupport.pair(client, events, admin, phone);
    ClientSupport.connectUntilOpen(client, events, 1);
    return new Opened(admin, events, paired.deviceJid().toString());
  }

  private WaClient track(WaClient client) {
    clients.add(client);
    return client;
  }
}
