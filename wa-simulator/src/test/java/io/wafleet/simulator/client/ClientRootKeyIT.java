package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.AuthState;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.proto.CertChain;
import io.wafleet.client.transport.RootKeyCertificateVerifier;
import io.wafleet.client.transport.ServerCertificates;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client checks the server's certificate chain against the root key it trusts (§2.4): by
 * default WhatsApp's, which the simulator cannot sign with, so a default client is refused with
 * {@link DisconnectReason#UNTRUSTED_SERVER} before it sends any credentials; trusting the
 * simulator's own root (in process or fetched from its admin API) lets it in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientRootKeyIT {

  private static final String PHONE = "40700000071";
  private static final String UNTRUSTED_DETAIL =
      "server certificate rejected: intermediate certificate signature is invalid";

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private final List<WaClient> clients = new ArrayList<>();
  private ScriptedServer scripted;

  @BeforeEach
  void start() {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(WaClient::close);
    if (scripted != null) {
      scripted.shutdown();
    }
    sim.close();
    ClientSupport.assertNoClientThreads();
  }

  @Test
  void defaultClient_simulatorRootNotTrusted_untrustedServerBeforeRegistration() throws Exception {
    EventRecorder events = new EventRecorder();
    JsonNode before = admin.stats();
    WaClient client = track(WaClient.builder(InMemoryAuthState.create()).serverUri(sim.wsUri())
        .listener(events).connectTimeout(Duration.ofSeconds(5)).build());

    client.connect();
    Disconnected refused = events.await(Disconnected.class, WAIT);

    assertUntrusted(refused);
    assertEquals(0, events.count(QrCodeUpdated.class));
    assertNoClientFinishReached(before);
  }

  @Test
  void defaultClient_pairedDevice_untrustedServerBeforeLogin() throws Exception {
    InMemoryAuthState auth = InMemoryAuthState.create();
    pairAndConnect(auth);
    JsonNode before = admin.stats();
    EventRecorder events = new EventRecorder();
    WaClient untrusting = track(WaClient.builder(auth).serverUri(sim.wsUri()).listener(events)
        .connectTimeout(Duration.ofSeconds(5)).build());

    untrusting.connect();
    Disconnected refused = events.await(Disconnected.class, WAIT);

    assertUntrusted(refused);
    assertEquals(0, events.count(Connected.class));
    assertNoClientFinishReached(before);
  }

  @Test
  void simulatorRootTrusted_pairsAndConnects() throws Exception {
    Connected connected = pairAndConnect(InMemoryAuthState.create());

    assertEquals(PHONE, connected.me().user());
  }

  @Test
  void rootKeyFromAdminApi_isTheSimulatorsRoot_andLetsTheClientIn() throws Exception {
    SimulatorAdminClient.Reply reply = admin.get("root-key");
    assertEquals(200, reply.status(), String.valueOf(reply.body()));
    byte[] fromHex = RootKeyCertificateVerifier.decodeRootKey(reply.body().get("hex").asText());
    byte[] fromBase64 =
        RootKeyCertificateVerifier.decodeRootKey(reply.body().get("base64").asText());
    assertArrayEquals(sim.rootPublicKey(), fromHex);
    assertArrayEquals(fromHex, fromBase64);

    EventRecorder events = new EventRecorder();
    WaClient client = track(WaClient.builder(InMemoryAuthState.create()).serverUri(sim.wsUri())
        .listener(events).certificateVerifier(RootKeyCertificateVerifier.forRoot(fromHex))
        .connectTimeout(Duration.ofSeconds(5)).build());
    client.connect();

    events.await(QrCodeUpdated.class, WAIT);
  }

  @Test
  void rootKeyEndpoint_otherMethod_isRefused() throws Exception {
    assertEquals(405, admin.post("root-key", java.util.Map.of()).status());
  }

  @Test
  void anotherSimulatorsRoot_untrustedServer() throws Exception {
    try (WaSimulator other = ClientSupport.startSimulator()) {
      assertFalse(java.util.Arrays.equals(sim.rootPublicKey(), other.rootPublicKey()));
      JsonNode before = admin.stats();
      EventRecorder events = new EventRecorder();
      WaClient client = track(ClientSupport.client(InMemoryAuthState.create(), sim, events)
          .certificateVerifier(other.trustedVerifier()).build());

      client.connect();

      assertUntrusted(events.await(Disconnected.class, WAIT));
      assertNoClientFinishReached(before);
    }
  }

  @Test
  void chainSignedByAnotherRoot_untrustedServer_clientFinishNeverSent() throws Exception {
    AtomicInteger frames = new AtomicInteger();
    CertChain forged = ServerCertificates.signed(Curve25519.generateKeyPair(),
        Curve25519.generateKeyPair(), Curve25519.generateKeyPair(),
        Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600));
    scripted = ScriptedServer.startWith((s, index, frame) -> {
      frames.incrementAndGet();
      if (index == 0) {
        s.answerHello(frame, forged);
      }
    });
    EventRecorder events = new EventRecorder();
    WaClient client = track(WaClient.builder(InMemoryAuthState.create()).serverUri(scripted.uri())
        .listener(events).certificateVerifier(scripted.trustedVerifier())
        .connectTimeout(Duration.ofSeconds(5)).build());

    client.connect();

    assertUntrusted(events.await(Disconnected.class, WAIT));
    assertEquals(1, frames.get(), "only the ClientHello reached the server");
  }

  private Connected pairAndConnect(AuthState auth) throws Exception {
    admin.createPhone(PHONE);
    EventRecorder events = new EventRecorder();
    WaClient client = track(ClientSupport.client(auth, sim, events).build());
    ClientSupport.pair(client, events, admin, PHONE);
    Connected connected = ClientSupport.connectUntilOpen(client, events, 1);
    client.close();
    return connected;
  }

  private WaClient track(WaClient client) {
    clients.add(client);
    return client;
  }

  private static void assertUntrusted(Disconnected d) {
    assertEquals(DisconnectReason.UNTRUSTED_SERVER, d.reason(), d.toString());
    assertEquals(400, d.rawCode(), d.toString());
    assertEquals(UNTRUSTED_DETAIL, d.detail());
  }

  /**
   * The client failed at the ServerHello, so it never sent ClientFinish: no handshake completed on
   * the server, no registration and no login (these counters move only on a ClientFinish).
   */
  private void assertNoClientFinishReached(JsonNode before) throws Exception {
    JsonNode after = admin.stats();
    for (String counter : List.of("handshakesCompleted", "registrations", "logins",
        "loginFailures")) {
      assertEquals(before.get(counter).asLong(), after.get(counter).asLong(), counter);
    }
  }
}
