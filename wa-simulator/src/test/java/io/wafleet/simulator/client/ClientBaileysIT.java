package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop (§8–§10): Baileys 7 and a wa-client account, linked to different phones, exchange texts
 * both ways through the simulator; Baileys' first message is a pkmsg, and wa-client answers on the
 * session it started (the {@code sender_lid} of Baileys' message names the LID its sessions are
 * keyed by, §9.1), so no one-time pre-key of Baileys is used up; later ones are msg; Baileys
 * reports the delivery status of its message (after wa-client acknowledged it; the owner's phone
 * also receipts it, so the status alone does not prove which receipt came first). Each side sees
 * the other account's push name, and read receipts go both ways (§9.3, §9.5).
 */
class ClientBaileysIT {

  private static final String CLIENT_PHONE = "40714000001";
  private static final String BAILEYS_PHONE = "40714000002";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private MessagingPeer client;

  @BeforeEach
  void start() throws Exception {
    BaileysPeer.install();
    sim = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(CLIENT_PHONE);
    admin.createPhone(BAILEYS_PHONE);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    sim.close();
  }

  @Test
  void baileysAndClient_exchangeTextsBothWays_pkmsgFirst() throws Exception {
    try (BaileysPeer baileys = new BaileysPeer("driver.mjs", sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("baileys-stderr.log"), "7")) {
      String qr = baileys.await("qr", WAIT).path("qr").asText();
      SimulatorAdminClient.Reply scan = admin.post("phones/" + BAILEYS_PHONE + "/scan", Map.of("qr", qr));
      assertEquals(200, scan.status(), scan.body() + "\n" + baileys.stderr());
      String baileysDevice = scan.body().path("deviceJid").asText();
      baileys.await("open", WAIT);
      // The phone's welcome (§9.6) takes one of Baileys' pre-keys: done before any count below.
      baileys.await("protocol", e -> e.path("type").asInt() == 6, WAIT);
      client = new MessagingPeer(InMemoryAuthState.create(), sim);
      ClientSupport.pair(client.client, client.events, admin, CLIENT_PHONE);
      ClientSupport.connectUntilOpen(client.client, client.events, 2);
      Jid baileysChat = Jid.of(BAILEYS_PHONE, Jid.SERVER);
      String clientChat = CLIENT_PHONE + "@s.whatsapp.net";

      // Baileys → wa-client: a pkmsg (Baileys has no session yet); held until we acknowledge
      client.holdAcks(m -> true);
      String b1 = baileysSend(baileys, clientChat, "hello from Baileys");
      awaitUntil(() -> client.held().stream().anyMatch(m -> m.id().value().equals(b1)), WAIT,
          () -> "Baileys' first message; " + client.events.history() + "\n" + baileys.stderr());
      IncomingMessage first = client.held().get(0);
      assertEquals(new MessageContent.Text("hello from Baileys"), first.content());
      assertEquals("pkmsg", first.encType());
      assertEquals(baileysChat, first.chat());
      client.release();
      baileys.await("update", e -> b1.equals(e.path("id").asText())
          && e.path("status").asInt() >= 3, WAIT);

      // wa-client → Baileys: on the session Baileys' pkmsg started, no pre-key used
      int keysBefore = preKeysLeft(baileysDevice);
      MessageId c1 = client.client.sendText(baileysChat, "hello from wa-client")
          .get(20, TimeUnit.SECONDS).id();
      JsonNode got = baileys.await("message", e -> c1.value().equals(e.path("id").asText()), WAIT);
      assertEquals("hello from wa-client", got.path("text").asText(), got.toString());
      assertEquals(keysBefore, preKeysLeft(baileysDevice), "we answered on Baileys' session");
      awaitUntil(() -> client.deliveredBy(c1, Jid.parse(baileysDevice)), WAIT,
          () -> "Baileys' delivery receipt");

      // then msg both ways
      String b2 = baileysSend(baileys, clientChat, "second from Baileys");
      awaitUntil(() -> client.stored().stream().anyMatch(m -> m.id().value().equals(b2)), WAIT,
          () -> "second from Baileys");
      IncomingMessage second = client.stored().stream().filter(m -> m.id().value().equals(b2))
          .findFirst().orElseThrow();
      assertEquals(new MessageContent.Text("second from Baileys"), second.content());
      // Baileys may stay on pkmsg until its own session sees an answer; either decrypts
      assertTrue(Set.of("pkmsg", "msg").contains(second.encType()), second.encType());
      int keysNow = preKeysLeft(baileysDevice);
      MessageId c2 = client.client.sendText(baileysChat, "second from wa-client")
          .get(20, TimeUnit.SECONDS).id();
      assertEquals("second from wa-client", baileys.await("message",
          e -> c2.value().equals(e.path("id").asText()), WAIT).path("text").asText());
      assertEquals(keysNow, preKeysLeft(baileysDevice), "an established session sends msg");
      assertEquals(0, client.failures());
    }
  }

  /**
   * Baileys 6.17.16 (token dictionary v2) and wa-client (v3) on one simulator exchange texts both
   * ways (§1.2, §4.8): Baileys 6's message arrives at wa-client decrypted, a pkmsg, and
   * wa-client's message reaches Baileys 6 as messages.upsert (its phone's app-state key share and
   * history sync notification, §9.6, let Baileys 6 release its events) and gets the delivery
   * receipt of Baileys 6's device.
   */
  @Test
  void baileys6AndClient_exchangeTextsBothWays_acrossDictionaries() throws Exception {
    try (BaileysPeer baileys = new BaileysPeer("driver.mjs", sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("baileys-stderr.log"), "6")) {
      String qr = baileys.await("qr", WAIT).path("qr").asText();
      SimulatorAdminClient.Reply scan = admin.post("phones/" + BAILEYS_PHONE + "/scan", Map.of("qr", qr));
      assertEquals(200, scan.status(), scan.body() + "\n" + baileys.stderr());
      String baileysDevice = scan.body().path("deviceJid").asText();
      baileys.await("open", WAIT);
      client = new MessagingPeer(InMemoryAuthState.create(), sim);
      ClientSupport.pair(client.client, client.events, admin, CLIENT_PHONE);
      ClientSupport.connectUntilOpen(client.client, client.events, 2);
      Jid baileysChat = Jid.of(BAILEYS_PHONE, Jid.SERVER);

      String b1 = baileysSend(baileys, CLIENT_PHONE + "@s.whatsapp.net", "hello from Baileys 6");
      awaitUntil(() -> client.stored().stream().anyMatch(m -> m.id().value().equals(b1)), WAIT,
          () -> "Baileys 6's message; " + client.events.history() + "\n" + baileys.stderr());
      IncomingMessage first = client.stored().stream().filter(m -> m.id().value().equals(b1))
          .findFirst().orElseThrow();
      assertEquals(new MessageContent.Text("hello from Baileys 6"), first.content());
      assertEquals("pkmsg", first.encType());
      assertEquals(baileysChat, first.chat());

      MessageId c1 = client.client.sendText(baileysChat, "hello from wa-client")
          .get(20, TimeUnit.SECONDS).id();
      JsonNode got = baileys.await("message", e -> c1.value().equals(e.path("id").asText()), WAIT);
      assertEquals("hello from wa-client", got.path("text").asText(), got.toString());
      awaitUntil(() -> client.deliveredBy(c1, Jid.parse(baileysDevice)), WAIT,
          () -> "Baileys 6's delivery receipt\n" + baileys.stderr());
      assertEquals(0, client.failures());
    }
  }

  @Test
  void pushNamesAndReadReceipts_bothWays() throws Exception {
    admin.setPushName(CLIENT_PHONE, "Fleet Desk");
    admin.setPushName(BAILEYS_PHONE, "Baileys User");
    try (BaileysPeer baileys = new BaileysPeer("driver.mjs", sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("baileys-stderr.log"), "7")) {
      String qr = baileys.await("qr", WAIT).path("qr").asText();
      SimulatorAdminClient.Reply scan = admin.post("phones/" + BAILEYS_PHONE + "/scan", Map.of("qr", qr));
      assertEquals(200, scan.status(), scan.body() + "\n" + baileys.stderr());
      String baileysDevice = scan.body().path("deviceJid").asText();
      String baileysLid = scan.body().path("lid").asText();
      baileys.await("open", WAIT);
      client = new MessagingPeer(InMemoryAuthState.create(), sim);
      ClientSupport.pair(client.client, client.events, admin, CLIENT_PHONE);
      ClientSupport.connectUntilOpen(client.client, client.events, 2);
      Jid baileysChat = Jid.of(BAILEYS_PHONE, Jid.SERVER);
      String clientChat = CLIENT_PHONE + "@s.whatsapp.net";

      // Baileys → wa-client: push name and both identities
      String b1 = baileysSend(baileys, clientChat, "read me, wa-client");
      awaitUntil(() -> client.stored().stream().anyMatch(m -> m.id().value().equals(b1)), WAIT,
          () -> "Baileys' message; " + client.events.history() + "\n" + baileys.stderr());
      IncomingMessage in = client.stored().stream().filter(m -> m.id().value().equals(b1))
          .findFirst().orElseThrow();
      assertEquals("Baileys User", in.pushName());
      assertEquals(baileysChat, in.senderPn());
      assertEquals(Jid.parse(baileysLid).toNonDevice(), in.senderLid());
      assertEquals(java.util.Optional.of(in.senderLid()), client.client.lidOf(baileysChat));

      // wa-client reads it: Baileys' message goes to READ
      client.client.markRead(baileysChat, null, java.util.List.of(in.id()))
          .get(20, TimeUnit.SECONDS);
      baileys.await("update", e -> b1.equals(e.path("id").asText())
          && e.path("status").asInt() == 4, WAIT);

      // wa-client → Baileys: Baileys sees our push name, reads, we get READ
      MessageId c1 = client.client.sendText(baileysChat, "read me, Baileys")
          .get(20, TimeUnit.SECONDS).id();
      JsonNode got = baileys.await("message", e -> c1.value().equals(e.path("id").asText()), WAIT);
      assertEquals("Fleet Desk", got.path("pushName").asText(), got.toString());
      baileys.command(Map.of("cmd", "read", "ids", java.util.List.of(c1.value())));
      baileys.await("read-sent", WAIT);
      awaitUntil(() -> client.events.history().stream().anyMatch(e -> e instanceof ReceiptReceived r
          && r.id().equals(c1) && r.type() == ReceiptType.READ
          && r.from().equals(Jid.parse(baileysDevice))), WAIT,
          () -> "Baileys' read receipt; " + client.events.history() + "\n" + baileys.stderr());
      assertEquals(0, client.failures());
    }
  }

  private static String baileysSend(BaileysPeer baileys, String to, String text) throws Exception {
    long before = sentEvents(baileys).size();
    baileys.command(Map.of("cmd", "send", "to", to, "text", text));
    awaitUntil(() -> sentEvents(baileys).size() > before, WAIT, baileys::stderr);
    return sentEvents(baileys).get((int) before).path("id").asText();
  }

  private static java.util.List<JsonNode> sentEvents(BaileysPeer baileys) {
    return baileys.events().stream().filter(e -> "sent".equals(e.path("event").asText())).toList();
  }

  private int preKeysLeft(String deviceJid) throws Exception {
    return admin.preKeysRemaining(deviceJid);
  }
}
