package io.wafleet.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Baileys 7.0.0-rc.9, a companion of phone P2, in a group with simulated phones P3 (the
 * creator) and P4 (docs/protocol.md §10.4, §10.7): Baileys' group sends (its groupMetadata query,
 * usync of the members, sender-key distribution, skmsg) are read by the phones, the phones' group
 * sends reach Baileys' messages.upsert; after a member is removed it gets nothing that follows
 * while the others still read it, and a removed Baileys can no longer send. A damaged skmsg (bad
 * signature) and one whose key was never sent get Baileys' retry receipt and the phone's clean
 * pairwise resend. Needs Node.js 20+ and npm; fails, never skips, without.
 */
class BaileysGroupIT {

  private static final Path DRIVER_DIR = Path.of(System.getProperty("basedir", "."))
      .resolve("src/test/node/baileys").toAbsolutePath();
  private static final String P2 = "40700000032";
  private static final String P3 = "40700000033";
  private static final String P4 = "40700000034";
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
    for (String phone : List.of(P2, P3, P4)) {
      admin.createPhone(phone);
    }
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void baileysAndPhones_textInEveryDirection_removedMembersGetNothingAfter() throws Exception {
    try (NodeDriver driver = new NodeDriver(DRIVER_DIR, sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("driver-stderr.log"), "7")) {
      String baileys = pair(driver);
      String group = admin.createGroup("Mixed", P3, List.of(P2, P4));

      String fromBaileys = baileysSend(driver, group, "hello from Baileys");
      for (String phone : List.of(P3, P4, P2)) {
        JsonNode got = awaitInboxEntry(phone, fromBaileys, driver);
        assertEquals("hello from Baileys", got.path("text").asText(), phone + ": " + got);
        assertEquals(group, got.path("chat").asText());
        assertEquals(baileys, got.path("from").asText());
        assertTrue(got.path("type").asText().endsWith("skmsg"), got.toString());
      }

      String fromP3 = admin.send(P3, group, "hello from P3");
      JsonNode atBaileys = driver.awaitMatch("message", e -> fromP3.equals(e.path("id").asText()));
      assertEquals("hello from P3", atBaileys.path("text").asText(), atBaileys.toString());
      assertEquals(group, atBaileys.path("key").path("remoteJid").asText());
      assertEquals(P3 + "@s.whatsapp.net", atBaileys.path("key").path("participant").asText());
      assertEquals("hello from P3", awaitInboxEntry(P4, fromP3, driver).path("text").asText());
      awaitReceipt(P3, fromP3, baileys, driver);

      String fromP4 = admin.send(P4, group, "hello from P4");
      assertEquals("hello from P4", driver.awaitMatch("message",
          e -> fromP4.equals(e.path("id").asText())).path("text").asText());
      String second = baileysSend(driver, group, "second from Baileys");
      assertEquals("skmsg", awaitInboxEntry(P3, second, driver).path("type").asText(),
          "P3 keeps Baileys' key: no second distribution");

      admin.changeParticipants(group, List.of(), List.of(P4));
      String afterFromBaileys = baileysSend(driver, group, "Baileys after P4 left");
      assertEquals("Baileys after P4 left",
          awaitInboxEntry(P3, afterFromBaileys, driver).path("text").asText());
      String afterFromP3 = admin.send(P3, group, "P3 after P4 left");
      assertEquals("P3 after P4 left", driver.awaitMatch("message",
          e -> afterFromP3.equals(e.path("id").asText())).path("text").asText());
      String probe = admin.send(P3, P4 + "@s.whatsapp.net", "probe for P4");
      awaitInboxEntry(P4, probe, driver);
      assertTrue(inboxEntry(P4, afterFromBaileys).isEmpty() && inboxEntry(P4, afterFromP3).isEmpty(),
          "P4 got nothing after its removal: " + admin.inbox(P4));

      admin.changeParticipants(group, List.of(), List.of(P2));
      String afterBaileysLeft = admin.send(P3, group, "P3 after Baileys left");
      String probeBaileys = admin.send(P3, P2 + "@s.whatsapp.net", "probe for Baileys");
      driver.awaitMatch("message", e -> probeBaileys.equals(e.path("id").asText()));
      assertFalse(driver.seen().stream().anyMatch(
          e -> afterBaileysLeft.equals(e.path("id").asText())),
          "Baileys got nothing after its removal");
      driver.command(Map.of("cmd", "send", "to", group, "text", "am I still in?"));
      JsonNode refused = driver.await("send-error");
      assertTrue(refused.path("error").asText().contains("forbidden")
          || refused.path("error").asText().contains("403"), refused.toString());
    }
  }

  @Test
  void badSkmsg_fromPhone_getsBaileysRetryReceipt_thenCleanResend() throws Exception {
    try (NodeDriver driver = new NodeDriver(DRIVER_DIR, sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("driver-stderr.log"), "7")) {
      String baileys = pair(driver);
      String group = admin.createGroup("Damaged", P3, List.of(P2));
      String noKey = sendTampered(group, "sent without its key", "no-sender-key");
      JsonNode healed = driver.awaitMatch("message", e -> noKey.equals(e.path("id").asText())
          && "sent without its key".equals(e.path("text").asText()));
      assertEquals(group, healed.path("key").path("remoteJid").asText());
      assertEquals("retry", awaitReceiptType(P3, noKey, baileys, "retry", driver).path("type")
          .asText(), "Baileys had no sender key for P3 and asked again");

      String badSignature = sendTampered(group, "signed wrong", "bad-signature");
      driver.awaitMatch("message", e -> badSignature.equals(e.path("id").asText())
          && "signed wrong".equals(e.path("text").asText()));
      awaitReceiptType(P3, badSignature, baileys, "retry", driver);

      String clean = admin.send(P3, group, "clean again");
      assertEquals("clean again", driver.awaitMatch("message",
          e -> clean.equals(e.path("id").asText())).path("text").asText(),
          "Baileys still reads P3's group messages after the damaged ones");
    }
  }

  private String pair(NodeDriver driver) throws Exception {
    String qr = driver.await("qr").path("qr").asText();
    SimulatorAdminClient.Reply scan = admin.post("phones/" + P2 + "/scan", Map.of("qr", qr));
    assertEquals(200, scan.status(), scan.body() + "\n" + driver.stderr());
    driver.await("open");
    return scan.body().path("deviceJid").asText();
  }

  private String sendTampered(String group, String text, String tamper) throws Exception {
    SimulatorAdminClient.Reply sent = admin.post("phones/" + P3 + "/send",
        Map.of("to", group, "text", text, "tamper", tamper));
    assertEquals(202, sent.status(), String.valueOf(sent.body()));
    return sent.body().path("id").asText();
  }

  private static String baileysSend(NodeDriver driver, String to, String text) throws Exception {
    driver.command(Map.of("cmd", "send", "to", to, "text", text));
    return driver.awaitMatch("sent", e -> to.equals(e.path("to").asText())).path("id").asText();
  }

  private JsonNode awaitReceipt(String phone, String id, String device, NodeDriver driver) {
    return awaitReceiptType(phone, id, device, null, driver);
  }

  private JsonNode awaitReceiptType(String phone, String id, String device, String type,
      NodeDriver driver) {
    try {
      return await("receipt for " + id + " at " + phone).atMost(WAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            for (JsonNode entry : admin.receipts(phone)) {
              if (id.equals(entry.path("id").asText())
                  && device.equals(entry.path("from").asText())
                  && (type == null || type.equals(entry.path("type").asText()))) {
                return Optional.of(entry);
              }
            }
            return Optional.<JsonNode>empty();
          }, Optional::isPresent).orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\nseen " + driver.seen() + "\n" + driver.stderr(), e);
    }
  }

  private JsonNode awaitInboxEntry(String phone, String id, NodeDriver driver) throws Exception {
    try {
      return await("inbox entry " + id + " at " + phone).atMost(WAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> inboxEntry(phone, id).filter(e -> e.hasNonNull("text")),
              Optional::isPresent).orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\ninbox " + admin.inbox(phone) + "\nseen "
          + driver.seen() + "\n" + driver.stderr(), e);
    }
  }

  private Optional<JsonNode> inboxEntry(String phone, String id) throws Exception {
    for (JsonNode entry : admin.inbox(phone)) {
      if (id.equals(entry.path("id").asText())) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }
}
