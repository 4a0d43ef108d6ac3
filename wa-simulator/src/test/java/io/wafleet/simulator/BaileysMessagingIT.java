package io.wafleet.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Baileys 7.0.0-rc.9 (and in one case 6.17.16, see {@link BaileysInteropIT}), paired with phone A, exchanges texts with simulated phone B through the
 * simulator, both ways (§8, §9, §11): the first message in each direction is a pre-key message,
 * later ones are not; Baileys' message gets a delivery status from B's receipt (§9.5); phone A sees
 * Baileys' device-sent copy and Baileys sees phone A's (§8.2, §8.6); a damaged message gets Baileys'
 * retry receipt and the phone's clean resend (§9.4); Baileys sees the phone's push name (§9.1) and
 * read receipts go both ways (§9.3, §9.5). Needs Node.js 20+ and npm; fails, never skips,
 * without.
 */
class BaileysMessagingIT {

  private static final Path DRIVER_DIR = Path.of(System.getProperty("basedir", "."))
      .resolve("src/test/node/baileys").toAbsolutePath();
  private static final String A = "40700000001";
  private static final String B = "40700000002";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path temp;

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeAll
  static void installBaileys() throws Exception {
    BaileysInteropIT.installBaileys();
  }

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(sim.adminUri());
    assertEquals(201, admin.post("phones", Map.of("phone", A)).status());
    assertEquals(201, admin.post("phones", Map.of("phone", B)).status());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void baileysAndPhone_exchangeTextsBothWays_pkmsgFirst_withDeliveryStatus() throws Exception {
    try (NodeDriver driver = new NodeDriver(DRIVER_DIR, sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("driver-stderr.log"), "7")) {
      String qr = driver.await("qr").path("qr").asText();
      SimulatorAdminClient.Reply scan = admin.post("phones/" + A + "/scan", Map.of("qr", qr));
      assertEquals(200, scan.status(), scan.body() + "\n" + driver.stderr());
      String baileys = scan.body().path("deviceJid").asText();
      driver.await("open");
      // The phone's welcome (§9.6) took its pre-key before this count.
      driver.awaitAnyTime("protocol", e -> e.path("type").asInt() == 6);
      int keysBefore = preKeysLeft(baileys);

      String fromB1 = phoneSend(B, A + "@s.whatsapp.net", "hello Baileys");
      JsonNode got = driver.awaitMatch("message", e -> fromB1.equals(e.path("id").asText()));
      assertEquals("hello Baileys", got.path("text").asText(), got + "\n" + driver.stderr());
      assertEquals(keysBefore - 1, preKeysLeft(baileys),
          "B's first message was a pkmsg on one of Baileys' one-time pre-keys");

      String toB1 = baileysSend(driver, B + "@s.whatsapp.net", "hello phone");
      JsonNode atB = awaitInboxEntry(B, toB1, driver);
      assertEquals("hello phone", atB.path("text").asText(), atB.toString());
      assertEquals(baileys, atB.path("from").asText());
      assertEquals("pkmsg", atB.path("type").asText(), "Baileys' first message to B");
      assertTrue(deliveryStatus(driver, toB1) >= 3, "B's receipt gave Baileys' message DELIVERY_ACK");

      String fromB2 = phoneSend(B, A + "@s.whatsapp.net", "second from B");
      assertEquals("second from B", driver.awaitMatch("message",
          e -> fromB2.equals(e.path("id").asText())).path("text").asText());
      String toB2 = baileysSend(driver, B + "@s.whatsapp.net", "second from Baileys");
      JsonNode second = awaitInboxEntry(B, toB2, driver);
      assertEquals("second from Baileys", second.path("text").asText());
      assertEquals("msg", second.path("type").asText(), "an established session sends msg");

      JsonNode copy = awaitInboxEntry(A, toB1, driver);
      assertEquals("hello phone", copy.path("text").asText(), copy.toString());
      assertEquals(B + "@s.whatsapp.net", copy.path("chat").asText());
      JsonNode receipts = admin.get("phones/" + B + "/receipts").body().path("receipts");
      assertTrue(receipts.toString().contains(fromB1), "B got a receipt for its message: " + receipts);

      String fromPhoneA = phoneSend(A, B + "@s.whatsapp.net", "sent on the phone");
      JsonNode own = driver.awaitMatch("message", e -> fromPhoneA.equals(e.path("id").asText()));
      assertEquals("sent on the phone", own.path("text").asText(), own.toString());
      assertTrue(own.path("key").path("fromMe").asBoolean(), "a device-sent copy is fromMe: " + own);
      assertEquals(B + "@s.whatsapp.net", own.path("key").path("remoteJid").asText());
    }
  }

  @Test
  void baileys_receivesTamperedMessage_sendsRetryReceipt_thenGetsCleanResend() throws Exception {
    try (NodeDriver driver = new NodeDriver(DRIVER_DIR, sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("driver-stderr.log"), "7")) {
      String qr = driver.await("qr").path("qr").asText();
      assertEquals(200, admin.post("phones/" + A + "/scan", Map.of("qr", qr)).status());
      driver.await("open");
      SimulatorAdminClient.Reply sent = admin.post("phones/" + B + "/send", Map.of(
          "to", A + "@s.whatsapp.net", "text", "damaged then healed", "tamper", "bad-mac"));
      assertEquals(202, sent.status(), String.valueOf(sent.body()));
      String id = sent.body().path("id").asText();
      JsonNode healed = driver.awaitMatch("message", e -> id.equals(e.path("id").asText())
          && "damaged then healed".equals(e.path("text").asText()));
      assertEquals(id, healed.path("id").asText());
      JsonNode receipts = admin.get("phones/" + B + "/receipts").body().path("receipts");
      assertTrue(receipts.toString().contains("\"retry\""),
          "Baileys asked for a retry of the damaged copy: " + receipts + "\n" + driver.seen());
    }
  }

  @Test
  void baileys_seesPushName_andReadReceiptsGoBothWays() throws Exception {
    admin.post("phones/" + B + "/push-name", Map.of("pushName", "Bea"));
    try (NodeDriver driver = new NodeDriver(DRIVER_DIR, sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("driver-stderr.log"), "7")) {
      String qr = driver.await("qr").path("qr").asText();
      SimulatorAdminClient.Reply scan = admin.post("phones/" + A + "/scan", Map.of("qr", qr));
      assertEquals(200, scan.status(), scan.body() + "\n" + driver.stderr());
      String baileys = scan.body().path("deviceJid").asText();
      driver.await("open");

      String fromB1 = phoneSend(B, A + "@s.whatsapp.net", "first to read");
      String fromB2 = phoneSend(B, A + "@s.whatsapp.net", "second to read");
      JsonNode got = driver.awaitMatch("message", e -> fromB1.equals(e.path("id").asText()));
      assertEquals("Bea", got.path("pushName").asText(), "notify is Baileys' pushName: " + got);
      driver.awaitMatch("message", e -> fromB2.equals(e.path("id").asText()));
      driver.command(Map.of("cmd", "read", "ids", java.util.List.of(fromB1, fromB2)));
      driver.await("read-sent");
      java.util.List<String> reads = await("read receipts at " + B).atMost(WAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> readsFrom(B, baileys), r -> r.size() >= 2);
      assertEquals(java.util.List.of(fromB1, fromB2), reads, "one read entry per id, from Baileys");

      String toB = baileysSend(driver, B + "@s.whatsapp.net", "read me");
      awaitInboxEntry(B, toB, driver);
      assertEquals(202, admin.post("phones/" + B + "/read",
          Map.of("ids", java.util.List.of(toB))).status());
      JsonNode read = driver.awaitMatch("update",
          e -> toB.equals(e.path("id").asText()) && e.path("status").asInt() == 4);
      assertEquals(4, read.path("status").asInt(), "READ (§9.5)");
    }
  }

  /**
   * Baileys 6.17.16 (token dictionary v2) and phone B exchange texts both ways. Baileys 6 buffers
   * its message events until its phone shared an app-state sync key and a history sync
   * notification came (docs/protocol.md §9.6): phone A sends both to its new companion, so B's
   * texts arrive as messages.upsert. B's messages are receipted (no retry), and Baileys 6's
   * answers decrypt in B's inbox as msg, on the session B's first pkmsg opened (Baileys 6
   * addresses B by its PN; 7 does not reuse that session).
   */
  @Test
  void baileys6AndPhone_exchangeTextsBothWays_onDictionaryV2() throws Exception {
    try (NodeDriver driver = new NodeDriver(DRIVER_DIR, sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("driver-stderr.log"), "6")) {
      String qr = driver.await("qr").path("qr").asText();
      SimulatorAdminClient.Reply scan = admin.post("phones/" + A + "/scan", Map.of("qr", qr));
      assertEquals(200, scan.status(), scan.body() + "\n" + driver.stderr());
      String baileys = scan.body().path("deviceJid").asText();
      driver.await("open");
      JsonNode keyShare = driver.awaitAnyTime("protocol", e -> e.path("type").asInt() == 6);
      assertEquals(1, keyShare.path("keys").asInt(), keyShare.toString());
      assertTrue(keyShare.path("fromMe").asBoolean(), "from the account's own phone: " + keyShare);
      assertEquals(7, driver.awaitAnyTime("protocol", e -> e.path("type").asInt() == 5)
          .path("syncType").asInt(), "a NO_HISTORY history sync notification");

      String fromB1 = phoneSend(B, A + "@s.whatsapp.net", "hello Baileys 6");
      JsonNode got = driver.awaitMatch("message", e -> fromB1.equals(e.path("id").asText()));
      assertEquals("hello Baileys 6", got.path("text").asText(), got + "\n" + driver.stderr());
      assertEquals("notify", got.path("upsertType").asText(), got.toString());
      JsonNode receipt = awaitReceipt(B, fromB1, baileys, driver);
      assertNotEquals("retry", receipt.path("type").asText(), "Baileys 6 decrypted it: " + receipt);

      String toB1 = baileysSend(driver, B + "@s.whatsapp.net", "hello phone from 6");
      JsonNode atB = awaitInboxEntry(B, toB1, driver);
      assertEquals("hello phone from 6", atB.path("text").asText(), atB.toString());
      assertEquals(baileys, atB.path("from").asText());
      assertEquals("msg", atB.path("type").asText(), "on the session B's pkmsg opened");

      String fromB2 = phoneSend(B, A + "@s.whatsapp.net", "second from B");
      assertEquals("second from B", driver.awaitMatch("message",
          e -> fromB2.equals(e.path("id").asText())).path("text").asText());
      assertNotEquals("retry", awaitReceipt(B, fromB2, baileys, driver).path("type").asText());
      String toB2 = baileysSend(driver, B + "@s.whatsapp.net", "second from Baileys 6");
      JsonNode second = awaitInboxEntry(B, toB2, driver);
      assertEquals("second from Baileys 6", second.path("text").asText());
      assertEquals("msg", second.path("type").asText(), "an established session sends msg");
    }
  }

  /** The receipt phone {@code phone} got from {@code device} for its message {@code id}. */
  private JsonNode awaitReceipt(String phone, String id, String device, NodeDriver driver) {
    try {
      return await("receipt for " + id + " at " + phone).atMost(WAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> receipt(phone, id, device), Optional::isPresent).orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\nseen " + driver.seen() + "\n" + driver.stderr(), e);
    }
  }

  private Optional<JsonNode> receipt(String phone, String id, String device) throws Exception {
    for (JsonNode entry : admin.get("phones/" + phone + "/receipts").body().path("receipts")) {
      if (id.equals(entry.path("id").asText()) && device.equals(entry.path("from").asText())) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /**
   * The status Baileys reports for its own message: a {@code messages.update}, or, when its event
   * buffer merged the receipt's update into the message's own upsert (the simulator answers within
   * milliseconds), the status carried by that upsert.
   */
  private static int deliveryStatus(NodeDriver driver, String id) throws InterruptedException {
    JsonNode upsert = driver.awaitMatch("message", e -> id.equals(e.path("id").asText()));
    if (upsert.path("status").asInt(0) >= 3) {
      return upsert.path("status").asInt();
    }
    return driver.awaitMatch("update",
        e -> id.equals(e.path("id").asText()) && e.path("status").asInt() >= 3).path("status").asInt();
  }

  /** The ids of the read receipts {@code phone} got from {@code device}, in arrival order. */
  private java.util.List<String> readsFrom(String phone, String device) throws Exception {
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (JsonNode receipt : admin.get("phones/" + phone + "/receipts").body().path("receipts")) {
      if ("read".equals(receipt.path("type").asText())
          && device.equals(receipt.path("from").asText())) {
        ids.add(receipt.path("id").asText());
      }
    }
    return ids;
  }

  private int preKeysLeft(String deviceJid) throws Exception {
    return admin.get("devices/" + deviceJid + "/prekeys").body().path("remaining").asInt();
  }

  private String phoneSend(String phone, String to, String text) throws Exception {
    SimulatorAdminClient.Reply sent = admin.post("phones/" + phone + "/send", Map.of("to", to, "text", text));
    assertEquals(202, sent.status(), String.valueOf(sent.body()));
    return sent.body().path("id").asText();
  }

  private static String baileysSend(NodeDriver driver, String to, String text) throws Exception {
    driver.command(Map.of("cmd", "send", "to", to, "text", text));
    JsonNode sent = driver.awaitMatch("sent", e -> to.equals(e.path("to").asText()));
    return sent.path("id").asText();
  }

  private JsonNode awaitInboxEntry(String phone, String id, NodeDriver driver) throws Exception {
    try {
      return await("inbox entry " + id + " at " + phone).atMost(WAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> inboxEntry(phone, id), Optional::isPresent).orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\nseen " + driver.seen() + "\n" + driver.stderr(), e);
    }
  }

  private Optional<JsonNode> inboxEntry(String phone, String id) throws Exception {
    for (JsonNode entry : admin.get("phones/" + phone + "/inbox").body().path("messages")) {
      if (id.equals(entry.path("id").asText())) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }
}
