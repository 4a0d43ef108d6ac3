package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.ConnectionState;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.CredentialsUpdated;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our client pairs through the simulated phone, restarts on 515 and logs in with no QR. */
class ClientPairingIT {

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone("40700000001");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void pairing_scanThenRestart_logsInWithoutQrAndUploadsPreKeys() throws Exception {
    InMemoryAuthState auth = InMemoryAuthState.create();
    EventRecorder events = new EventRecorder();
    WaClient client = ClientSupport.client(auth, sim, events).build();

    PairSuccess paired = ClientSupport.pair(client, events, admin, "40700000001");
    Credentials creds = auth.credentials();
    assertTrue(creds.isPaired());
    assertEquals(paired.deviceJid(), creds.me());
    assertEquals(paired.lid(), creds.lid());
    assertNotNull(creds.account());
    assertTrue(events.count(CredentialsUpdated.class) >= 1);
    assertEquals(ConnectionState.CLOSED, client.state());

    long qrsBefore = events.count(QrCodeUpdated.class);
    client.connect();
    Connected open = events.await(Connected.class, WAIT);
    assertEquals(paired.deviceJid(), open.me());
    assertEquals(qrsBefore, events.count(QrCodeUpdated.class), "no QR on login");
    assertEquals(ConnectionState.OPEN, client.state());

    Credentials afterLogin = auth.credentials();
    assertEquals(813, afterLogin.firstUnuploadedPreKeyId(), "812 pre-keys uploaded");
    assertEquals(813, afterLogin.nextPreKeyId());
    // The phone's welcome (docs/protocol.md §9.6) opens its session on one of the 812: once both
    // of its messages are receipted, that key is used up on our side too.
    MessagingPeer.awaitUntil(() -> receiptsFrom("40700000001", paired.deviceJid().toString()) == 2,
        WAIT, () -> "receipts for the phone's key share and history notification");
    List<String> ids = IntStream.rangeClosed(1, 812).mapToObj(Integer::toString).toList();
    assertEquals(811, auth.keys().load(SignalKeyStore.PRE_KEY, ids).size());
    assertEquals(1, admin.stats().get("pairings").asInt());
    assertTrue(admin.stats().get("logins").asInt() >= 1);

    client.close();
    assertEquals(ConnectionState.CLOSED, client.state());
    events.assertNoMoreEvents(Duration.ofMillis(300));
    ClientSupport.assertNoClientThreads();
  }

  private long receiptsFrom(String phone, String device) {
    try {
      long count = 0;
      for (com.fasterxml.jackson.databind.JsonNode receipt : admin.receipts(phone)) {
        if (device.equals(receipt.path("from").asText())) {
          count++;
        }
      }
      return count;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void pairing_qrCodes_carryKeysAndRotate() throws Exception {
    InMemoryAuthState auth = InMemoryAuthState.create();
    EventRecorder events = new EventRecorder();
    WaClient client = ClientSupport.client(auth, sim, events)
        .qrFirstTtl(Duration.ofMillis(300)).qrNextTtl(Duration.ofMillis(200)).build();
    client.connect();
    QrCodeUpdated first = events.await(QrCodeUpdated.class, WAIT);
    QrCodeUpdated second = events.await(QrCodeUpdated.class, WAIT);
    String[] a = first.qr().split(",");
    String[] b = second.qr().split(",");
    assertEquals(4, a.length);
    assertTrue(!a[0].equals(b[0]), "a new ref each time");
    assertEquals(a[1] + a[2] + a[3], b[1] + b[2] + b[3], "same keys in each code");
    assertTrue(second.expiresAt().isAfter(first.expiresAt()));

    admin.scan("40700000001", second.qr());
    events.await(PairSuccess.class, WAIT);
    client.close();
    ClientSupport.assertNoClientThreads();
  }
}
