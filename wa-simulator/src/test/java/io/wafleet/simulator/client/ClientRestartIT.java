package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wafleet.client.WaClient;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.CredentialsFormatException;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A new process restarts from the stored credential bytes and logs in with no QR. */
class ClientRestartIT {

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone("40700000002");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void restart_fromSerializedCredentials_logsInWithoutQr() throws Exception {
    InMemoryAuthState first = InMemoryAuthState.create();
    EventRecorder firstEvents = new EventRecorder();
    WaClient pairing = ClientSupport.client(first, sim, firstEvents).build();
    PairSuccess paired = ClientSupport.pair(pairing, firstEvents, admin, "40700000002");
    Connected open = ClientSupport.connectUntilOpen(pairing, firstEvents, 2);
    assertEquals(paired.deviceJid(), open.me());
    pairing.close();
    byte[] stored = first.credentials().serialize();

    // "process restart": only the bytes survive
    InMemoryAuthState restored = new InMemoryAuthState(Credentials.parse(stored));
    assertEquals(first.credentials(), restored.credentials());
    EventRecorder events = new EventRecorder();
    WaClient client = ClientSupport.client(restored, sim, events).build();
    Connected again = ClientSupport.connectUntilOpen(client, events, 1);
    assertEquals(paired.deviceJid(), again.me());
    assertEquals(paired.lid(), again.lid());
    assertEquals(0, events.count(QrCodeUpdated.class));
    assertEquals(813, restored.credentials().firstUnuploadedPreKeyId(),
        "the server still holds 812 keys: nothing uploaded again");
    client.close();
    events.assertNoMoreEvents(Duration.ofMillis(200));
    ClientSupport.assertNoClientThreads();
  }

  @Test
  void restart_fromCorruptBytes_failsWithTypedException() {
    byte[] stored = InMemoryAuthState.create().credentials().serialize();
    byte[] truncated = java.util.Arrays.copyOf(stored, stored.length / 2);
    assertThrows(CredentialsFormatException.class, () -> Credentials.parse(truncated));
  }

  @Test
  void connect_twiceWhileRunning_isRefused() throws Exception {
    EventRecorder events = new EventRecorder();
    WaClient client = ClientSupport.client(InMemoryAuthState.create(), sim, events).build();
    client.connect();
    events.await(QrCodeUpdated.class, WAIT);
    assertThrows(IllegalStateException.class, client::connect);
    client.close();
    client.close();
    events.assertNoMoreEvents(Duration.ofMillis(200));
    ClientSupport.assertNoClientThreads();
  }
}
