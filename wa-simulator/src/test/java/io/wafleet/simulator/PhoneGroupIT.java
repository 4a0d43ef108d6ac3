package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Simulated phones as group peers (docs/protocol.md §10.4, §10.7): sender-key distribution on
 * first send only, skmsg decrypted with wa-client's GroupCipher, receipts with participant, a new
 * sender key after a removal, and the bad-input paths (no sender key, bad signature) answered
 * with a retry receipt and healed by the sender's pairwise resend.
 */
class PhoneGroupIT {

  private static final String P1 = "40700000021";
  private static final String P2 = "40700000022";
  private static final String P3 = "40700000023";
  private static final String P4 = "40700000024";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    for (String phone : List.of(P1, P2, P3, P4)) {
      admin.createPhone(phone);
    }
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void phones_exchangeGroupTexts_keyOnceThenSkmsgOnly_newKeyAfterRemoval() throws Exception {
    String group = admin.createGroup("Phones", P1, List.of(P2, P3));
    String first = admin.send(P1, group, "hello group");
    for (String member : List.of(P2, P3)) {
      JsonNode got = awaitEntry(member, first);
      assertEquals("hello group", got.path("text").asText(), got.toString());
      assertEquals(group, got.path("chat").asText());
      assertEquals(P1 + "@s.whatsapp.net", got.path("from").asText());
      assertEquals("pkmsg+skmsg", got.path("type").asText(), "the key came with the first one");
    }
    awaitReceipts(P1, first, 2);
    String second = admin.send(P1, group, "again");
    assertEquals("skmsg", awaitEntry(P2, second).path("type").asText(), "no key the second time");
    String answer = admin.send(P3, group, "answer from P3");
    for (String member : List.of(P1, P2)) {
      assertEquals("answer from P3", awaitEntry(member, answer).path("text").asText());
    }

    admin.changeParticipants(group, List.of(), List.of(P3));
    String after = admin.send(P1, group, "after removal");
    JsonNode atP2 = awaitEntry(P2, after);
    assertEquals("after removal", atP2.path("text").asText());
    assertTrue(atP2.path("type").asText().matches("(pkmsg|msg)\\+skmsg"),
        "a new sender key was distributed after the removal, though P2 had the old one: " + atP2);
    String probe = admin.send(P2, P3 + "@s.whatsapp.net", "probe after");
    awaitEntry(P3, probe);
    assertTrue(findEntry(P3, after).isEmpty(), "P3 got nothing after its removal");

    SimulatorAdminClient.Reply outsider = admin.post("phones/" + P3 + "/send",
        Map.of("to", group, "text", "let me in"));
    assertEquals(403, outsider.status(), String.valueOf(outsider.body()));
    assertEquals("not-a-member", outsider.body().path("code").asText());
    assertEquals(404, admin.post("phones/" + P1 + "/send",
        Map.of("to", P1 + "-1@g.us", "text", "x")).status());
    assertEquals(400, admin.post("phones/" + P1 + "/send",
        Map.of("to", group, "text", "x", "tamper", "bad-mac")).status());
    assertEquals(400, admin.post("phones/" + P1 + "/send",
        Map.of("to", P2 + "@s.whatsapp.net", "text", "x", "tamper", "bad-signature")).status());
  }

  @Test
  void unknownSenderKey_recordedAndRetried_thenHealedByPairwiseResend() throws Exception {
    String group = admin.createGroup("Keys", P1, List.of(P2));
    String id = admin.send(P1, group, "no key sent", "no-sender-key");
    awaitReceiptType(P1, id, "retry");
    JsonNode healed = Awaitility.await("healed entry").atMost(WAIT)
        .until(() -> findEntry(P2, id), e -> e.isPresent() && e.get().hasNonNull("text")).get();
    assertEquals("no key sent", healed.path("text").asText());
    String next = admin.send(P1, group, "now with the key");
    assertEquals("skmsg", awaitEntry(P2, next).path("type").asText(),
        "the resend gave P2 the key, so it is not sent again");
  }

  @Test
  void badSignature_recordedAndRetried_neverCrashes() throws Exception {
    String group = admin.createGroup("Sigs", P1, List.of(P2));
    assertEquals("fine", awaitEntry(P2, admin.send(P1, group, "fine")).path("text").asText());
    String bad = admin.send(P1, group, "signed wrong", "bad-signature");
    awaitReceiptType(P1, bad, "retry");
    String after = admin.send(P1, group, "still fine");
    assertEquals("still fine", awaitEntry(P2, after).path("text").asText(),
        "the bad message left P2's sender key usable");
    JsonNode healed = Awaitility.await("healed entry").atMost(WAIT)
        .until(() -> findEntry(P2, bad), e -> e.isPresent() && e.get().hasNonNull("text")).get();
    assertEquals("signed wrong", healed.path("text").asText(),
        "the retry receipt got the text again pairwise");
  }

  private JsonNode awaitEntry(String phone, String id) {
    return Awaitility.await("entry " + id + " at " + phone).atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> findEntry(phone, id), Optional::isPresent).get();
  }

  private Optional<JsonNode> findEntry(String phone, String id) throws Exception {
    for (JsonNode entry : admin.inbox(phone)) {
      if (id.equals(entry.path("id").asText())) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  private void awaitReceipts(String phone, String id, int count) {
    Awaitility.await("receipts for " + id).atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          int n = 0;
          for (JsonNode receipt : admin.receipts(phone)) {
            n += id.equals(receipt.path("id").asText()) ? 1 : 0;
          }
          return n;
        }, n -> n >= count);
  }

  private void awaitReceiptType(String phone, String id, String type) {
    Awaitility.await(type + " receipt for " + id).atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          for (JsonNode receipt : admin.receipts(phone)) {
            if (id.equals(receipt.path("id").asText()) && type.equals(receipt.path("type").asText())) {
              return true;
            }
          }
          return false;
        });
  }
}
