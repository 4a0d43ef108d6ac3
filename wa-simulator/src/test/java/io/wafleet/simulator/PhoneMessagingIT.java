package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.binary.Node;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Simulated phones as Signal peers (§8–§10): two phones exchange texts through the relay (first a
 * pkmsg, then msg), receipts come back, a linked companion sees its phone's device-sent copy, and
 * a corrupted ciphertext gets a retry receipt and an inbox error.
 */
class PhoneMessagingIT {

  private static final String A = "40700000001";
  private static final String B = "40700000002";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private String aLid;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    aLid = admin.post("phones", Map.of("phone", A)).body().path("lid").asText();
    assertEquals(201, admin.post("phones", Map.of("phone", B)).status());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void phones_exchangeTexts_firstPkmsgThenMsg_withReceipts() throws Exception {
    String first = send(A, B + "@s.whatsapp.net", "hello B");
    JsonNode got = awaitInbox(B, 1).get(0);
    assertEquals(first, got.path("id").asText());
    assertEquals(A + "@s.whatsapp.net", got.path("from").asText());
    assertEquals(A + "@s.whatsapp.net", got.path("chat").asText());
    assertEquals("hello B", got.path("text").asText());
    assertEquals("pkmsg", got.path("type").asText());
    String reply = send(B, A + "@s.whatsapp.net", "hello A");
    JsonNode back = awaitInbox(A, 1).get(0);
    assertEquals(reply, back.path("id").asText());
    assertEquals("hello A", back.path("text").asText());
    assertEquals("msg", back.path("type").asText(), "B answers on the session A started");
    String second = send(A, B + "@s.whatsapp.net", "again");
    JsonNode again = awaitInbox(B, 2).get(1);
    assertEquals(second, again.path("id").asText());
    assertEquals("msg", again.path("type").asText(), "A got B's answer, so no more pkmsg");
    JsonNode receipts = await("two receipts at " + A,
        () -> admin.get("phones/" + A + "/receipts").body().path("receipts"),
        r -> r.size() >= 2);
    assertEquals(first, receipts.get(0).path("id").asText());
    assertEquals(B + "@s.whatsapp.net", receipts.get(0).path("from").asText());
    assertEquals("delivery", receipts.get(0).path("type").asText());
    assertEquals(1, admin.get("phones/" + B + "/inbox?since=1").body().path("messages").size());
  }

  @Test
  void phone_sendsToLid_recipientSeesLidSender() throws Exception {
    send(B, aLid, "by lid");
    JsonNode got = awaitInbox(A, 1).get(0);
    assertEquals("by lid", got.path("text").asText());
    assertTrue(got.path("from").asText().endsWith("@lid"), got.toString());
  }

  @Test
  void phone_send_fansOutDeviceSentCopyToOwnCompanion() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A)) {
      String id = send(A, B + "@s.whatsapp.net", "copy me");
      Node copy = a1.client.await(node -> "message".equals(node.tag()));
      assertEquals(id, copy.attr("id"));
      assertEquals(A + "@s.whatsapp.net", copy.attr("from"));
      assertEquals(B + "@s.whatsapp.net", copy.attr("recipient"));
      assertEquals("pkmsg", copy.child("enc").attr("type"));
      assertEquals(31, admin.get("devices/" + B + "@s.whatsapp.net/prekeys").body()
          .path("remaining").asInt(), "the phone's fetch consumed one of B's pre-keys");
    }
  }

  @Test
  void phone_receivesCorruptedCiphertext_recordsErrorAndSendsRetryReceipt() throws Exception {
    try (TestDevice a1 = TestDevice.online(sim, admin, A)) {
      Node ack = a1.sendAndAwaitAck(TestDevice.message("3EB0CC01", B + "@s.whatsapp.net", "pkmsg",
          B + "@s.whatsapp.net"));
      assertEquals(null, ack.attr("error"));
      JsonNode failed = awaitInbox(B, 1).get(0);
      assertEquals("3EB0CC01", failed.path("id").asText());
      assertEquals("invalid-message", failed.path("error").asText());
      assertFalse(failed.has("text"));
      Node retry = a1.client.await(node -> "receipt".equals(node.tag()));
      assertEquals("retry", retry.attr("type"));
      assertEquals(B + "@s.whatsapp.net", retry.attr("from"));
      assertEquals("3EB0CC01", retry.child("retry").attr("id"));
      assertEquals(4, retry.child("registration").bytes().length);
      a1.sendAndAwaitAck(TestDevice.message("3EB0CC02", B + "@s.whatsapp.net", "msg",
          B + "@s.whatsapp.net"));
      JsonNode noSession = awaitInbox(B, 2).get(1);
      assertEquals("no-session", noSession.path("error").asText());
      Node keyed = a1.client.await(node -> "receipt".equals(node.tag()));
      assertEquals("retry", keyed.attr("type"));
      assertTrue(keyed.child("keys") != null, "no session: the retry receipt carries keys");
    }
  }

  @Test
  void tamperedMessage_failsAtReceiver_retryReceiptBringsCleanResend() throws Exception {
    String[] tampers = {"bad-mac", "corrupt", "no-session"};
    for (int i = 0; i < tampers.length; i++) {
      String tamper = tampers[i];
      String phone = "4070000010" + i;
      String recipient = "4070000020" + i;
      assertEquals(201, admin.post("phones", Map.of("phone", phone)).status());
      assertEquals(201, admin.post("phones", Map.of("phone", recipient)).status());
      SimulatorAdminClient.Reply sent = admin.post("phones/" + phone + "/send",
          Map.of("to", recipient + "@s.whatsapp.net", "text", "damaged", "tamper", tamper));
      assertEquals(202, sent.status(), String.valueOf(sent.body()));
      String id = sent.body().path("id").asText();
      JsonNode healed = await("the healed message in the inbox (" + tamper + ")",
          () -> admin.get("phones/" + recipient + "/inbox").body().path("messages"),
          m -> m.size() == 1 && "damaged".equals(m.get(0).path("text").asText()));
      assertEquals(id, healed.get(0).path("id").asText(), tamper);
      JsonNode receipts = await("a delivery receipt (" + tamper + ")",
          () -> admin.get("phones/" + phone + "/receipts").body().path("receipts"),
          r -> r.toString().contains("\"delivery\""));
      assertEquals("retry", receipts.get(0).path("type").asText(), tamper + ": " + receipts);
    }
  }

  @Test
  void replayedMessage_recordedOnce() throws Exception {
    String id = send(A, B + "@s.whatsapp.net", "once");
    awaitInbox(B, 1);
    assertEquals(202, admin.post("phones/" + A + "/replay", Map.of("id", id)).status());
    String next = send(A, B + "@s.whatsapp.net", "after the replay");
    JsonNode messages = awaitInbox(B, 2);
    assertEquals(2, messages.size(), messages.toString());
    assertEquals(next, messages.get(1).path("id").asText());
    assertEquals(1, admin.stats().path("phoneDuplicatesDropped").asLong(), "the replay was dropped as a duplicate");
    assertEquals(404, admin.post("phones/" + A + "/replay", Map.of("id", "3EB0NOSUCH")).status());
  }

  @Test
  void send_badInput_refused() throws Exception {
    assertEquals(400, admin.post("phones/" + A + "/send", Map.of("to", "nope", "text", "x")).status());
    assertEquals(400, admin.post("phones/" + A + "/send",
        Map.of("to", B + "@s.whatsapp.net", "text", "")).status());
    assertEquals(400, admin.postRaw("phones/" + A + "/send", "{", "application/json").status());
    assertEquals(404, admin.post("phones/40799999999/send",
        Map.of("to", B + "@s.whatsapp.net", "text", "x")).status());
    assertEquals(404, admin.post("phones/" + A + "/send",
        Map.of("to", "40799999999@s.whatsapp.net", "text", "x")).status());
    assertEquals(404, admin.get("phones/40799999999/inbox").status());
    assertEquals(400, admin.post("phones/" + A + "/send",
        Map.of("to", B + "@s.whatsapp.net", "text", "x", "tamper", "bogus")).status());
  }

  private String send(String phone, String to, String text) throws Exception {
    SimulatorAdminClient.Reply sent = admin.post("phones/" + phone + "/send", Map.of("to", to, "text", text));
    assertEquals(202, sent.status(), String.valueOf(sent.body()));
    String id = sent.body().path("id").asText();
    assertTrue(id.matches("3EB0[0-9A-F]{18}"), id);
    return id;
  }

  private JsonNode awaitInbox(String phone, int size) throws Exception {
    return await(size + " messages in the inbox",
        () -> admin.get("phones/" + phone + "/inbox").body().path("messages"),
        messages -> messages.size() >= size);
  }

  private static JsonNode await(String what, Callable<JsonNode> probe, Predicate<JsonNode> done) {
    return Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(probe, done);
  }

}
