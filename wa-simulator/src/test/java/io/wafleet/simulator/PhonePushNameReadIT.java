package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Push names, sender LIDs and read receipts between simulated phones (§9.1, §9.3, §9.5): a phone's
 * push name reaches the recipient as {@code notify}, with the sender's other identity as
 * {@code sender_lid} / {@code sender_pn}; a phone reads messages through the admin API and the
 * sender sees one {@code read} receipt per id; bad input at the new endpoints gets a 4xx.
 */
class PhonePushNameReadIT {

  private static final String A = "40716000001";
  private static final String B = "40716000002";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private SimulatorAdminClient.CreatedPhone a;
  private SimulatorAdminClient.CreatedPhone b;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    a = admin.createPhone(A, "Alice");
    b = admin.createPhone(B);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void pushName_andOtherIdentity_reachTheRecipient_inBothAddressingForms() throws Exception {
    admin.send(A, b.jid(), "by number");
    JsonNode byNumber = awaitInbox(B, 1).get(0);
    assertEquals("Alice", byNumber.path("pushName").asText(), byNumber.toString());
    assertEquals(a.jid(), byNumber.path("from").asText());
    assertEquals(a.lid(), byNumber.path("senderAlt").asText(), "PN-addressed: sender_lid");

    admin.setPushName(A, "Alice B.");
    admin.send(A, b.lid(), "by lid");
    JsonNode byLid = awaitInbox(B, 2).get(1);
    assertEquals("Alice B.", byLid.path("pushName").asText(), "the new name from then on");
    assertEquals(a.lid(), byLid.path("from").asText());
    assertEquals(a.jid(), byLid.path("senderAlt").asText(), "LID-addressed: sender_pn");

    admin.send(B, a.jid(), "no name");
    JsonNode nameless = awaitInbox(A, 1).get(0);
    assertEquals(b.lid(), nameless.path("senderAlt").asText());
    assertEquals(false, nameless.has("pushName"), "a phone without a push name sends no notify");
  }

  @Test
  void phoneMarksRead_senderGetsReadReceiptPerId() throws Exception {
    String first = admin.send(A, b.jid(), "one");
    String second = admin.send(A, b.jid(), "two");
    awaitInbox(B, 2);
    admin.markRead(B, List.of(first, second));
    JsonNode reads = await("two read receipts at A", () -> admin.receipts(A),
        r -> readIds(r).size() == 2);
    assertEquals(List.of(first, second), readIds(reads));
    for (JsonNode receipt : reads) {
      if ("read".equals(receipt.path("type").asText())) {
        assertEquals(b.jid(), receipt.path("from").asText());
      }
    }
  }

  @Test
  void newEndpoints_badInput_get4xx() throws Exception {
    String id = admin.send(A, b.jid(), "x");
    awaitInbox(B, 1);
    String read = "phones/" + B + "/read";
    assertError(admin.post(read, Map.of("ids", List.of("3EB0NOSUCHID"))), 404, "unknown-message", "ids");
    assertError(admin.post(read, Map.of("ids", List.of(id, "3EB0NOSUCHID"))), 404, "unknown-message",
        "ids");
    assertEquals(List.of(), readIds(admin.receipts(A)), "a refused read sends nothing");
    assertError(admin.post(read, Map.of("ids", List.of())), 400, "bad-ids", "ids");
    assertError(admin.post(read, Map.of("ids", "3EB0")), 400, "bad-ids", "ids");
    assertError(admin.post(read, Map.of("ids", List.of(""))), 400, "bad-ids", "ids");
    assertError(admin.post(read, Map.of("other", 1)), 400, "bad-ids", "ids");
    assertError(admin.post("phones/40716999999/read", Map.of("ids", List.of(id))), 404,
        "unknown-phone", "phone");
    String name = "phones/" + A + "/push-name";
    assertError(admin.post(name, Map.of("pushName", " ")), 400, "bad-push-name", "pushName");
    assertError(admin.post(name, Map.of("pushName", "x".repeat(26))), 400, "bad-push-name",
        "pushName");
    assertError(admin.post(name, Map.of("pushName", "a\nb")), 400, "bad-push-name", "pushName");
    assertError(admin.post(name, Map.of("pushName", 7)), 400, "missing-field", "pushName");
    assertError(admin.post("phones/40716999999/push-name", Map.of("pushName", "N")), 404,
        "unknown-phone", "phone");
    assertError(admin.post("phones", Map.of("phone", "40716000003", "pushName", "")), 400,
        "bad-push-name", "pushName");
    assertEquals(405, admin.get(name).status(), "push-name is POST only");
  }

  private static List<String> readIds(JsonNode receipts) {
    return java.util.stream.StreamSupport.stream(receipts.spliterator(), false)
        .filter(r -> "read".equals(r.path("type").asText()))
        .map(r -> r.path("id").asText()).toList();
  }

  private JsonNode awaitInbox(String phone, int size) {
    return await(size + " messages at " + phone, () -> admin.inbox(phone), m -> m.size() >= size);
  }

  private static JsonNode await(String what, Callable<JsonNode> probe, Predicate<JsonNode> done) {
    return Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(probe, done);
  }

  private static void assertError(SimulatorAdminClient.Reply response, int status, String code,
      String field) {
    assertEquals(status, response.status(), String.valueOf(response.body()));
    assertEquals(code, response.body().get("code").asText(), response.body().toString());
    assertNotNull(response.body().get("message").asText());
    assertEquals(field, response.body().path("field").isNull() ? null
        : response.body().path("field").asText());
  }
}
