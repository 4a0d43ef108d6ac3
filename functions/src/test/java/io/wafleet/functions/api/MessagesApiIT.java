package io.wafleet.functions.api;

import static io.wafleet.functions.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.ChatThread;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Direction;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.StoredMessage;
import com.google.cloud.firestore.DocumentSnapshot;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MessagesApiIT {

  @RegisterExtension static final ApiServer api = ApiServer.extension();

  @BeforeEach
  void seed() {
    api.stores.accounts().create(Account.newAccount("acc1", "Sender", "+40700000001", api.clock.instant()));
  }

  private static String send(String to, String text, String key) {
    return "{\"accountId\":\"acc1\",\"to\":\"" + to + "\",\"text\":\"" + text + "\""
        + (key == null ? "" : ",\"idempotencyKey\":\"" + key + "\"") + "}";
  }

  @Test
  void send_phone_queuesWithJidAndReturns202Id() throws Exception {
    HttpResponse<String> r = api.post("/v1/messages", send("+40700000002", "hello", null));
    assertEquals(202, r.statusCode(), r.body());
    JsonNode body = ApiServer.json(r);
    assertEquals("QUEUED", body.path("status").asText());
    OutboxItem item = api.stores.outbox().load(body.path("id").asText()).orElseThrow();
    assertEquals("40700000002@s.whatsapp.net", item.to());
    assertEquals("hello", item.text());
    assertEquals(OutboxStatus.QUEUED, item.status());
  }

  @Test
  void send_jidRecipients_areAccepted() throws Exception {
    assertEquals(202, api.post("/v1/messages", send("40700000002@s.whatsapp.net", "a", null)).statusCode());
    assertEquals(202, api.post("/v1/messages", send("123456789012345@lid", "b", null)).statusCode());
  }

  @Test
  void send_maxLengthText_isAccepted() throws Exception {
    String text = "y".repeat(OutboxItem.MAX_TEXT_LENGTH);
    assertEquals(202, api.post("/v1/messages", send("+40700000002", text, "max-key")).statusCode());
    assertEquals(OutboxItem.MAX_TEXT_LENGTH, api.stores.outbox().load("max-key").orElseThrow().text().length());
  }

  @Test
  void send_sameKeyTwice_returnsSameIdAndOneMessage() throws Exception {
    JsonNode first = ApiServer.json(api.post("/v1/messages", send("+40700000002", "once", "order-42")));
    HttpResponse<String> again = api.post("/v1/messages", send("+40700000002", "once", "order-42"));
    assertEquals(202, again.statusCode(), again.body());
    assertEquals("order-42", first.path("id").asText());
    assertEquals("order-42", ApiServer.json(again).path("id").asText());
    assertEquals(1, api.firestore().collection("outbox").get().get().size());
  }

  @Test
  void send_sameKeyDifferentMessage_is409AndKeepsFirst() throws Exception {
    api.post("/v1/messages", send("+40700000002", "first", "k1"));
    assertError(api.post("/v1/messages", send("+40700000002", "second", "k1")), 409, "idempotency-conflict",
        "idempotencyKey");
    assertEquals("first", api.stores.outbox().load("k1").orElseThrow().text());
  }

  @Test
  void send_noKey_generatesDistinctIds() throws Exception {
    String a = ApiServer.json(api.post("/v1/messages", send("+40700000002", "x", null))).path("id").asText();
    String b = ApiServer.json(api.post("/v1/messages", send("+40700000002", "x", null))).path("id").asText();
    assertNotEquals(a, b);
  }

  @Test
  void send_deletedAccount_is409AndNothingQueued() throws Exception {
    api.stores.accounts().update("acc1", a -> a.toBuilder().desired(DesiredState.DELETED).build());
    assertError(api.post("/v1/messages", send("+40700000002", "x", "k2")), 409, "conflict", null);
    assertTrue(api.stores.outbox().load("k2").isEmpty());
  }

  @Test
  void send_idempotencyKeyOutsideItsAlphabet_is400AndNothingQueued() throws Exception {
    for (String key : new String[] {"a%41", "50%", "tab\\there", "new\\nline", "sp ace", "a?b", "a#b", "k".repeat(129)}) {
      assertError(api.post("/v1/messages", send("+40700000002", "x", key)), 400, "invalid-field", "idempotencyKey");
    }
    assertEquals(0, api.firestore().collection("outbox").get().get().size());
    assertEquals(202, api.post("/v1/messages", send("+40700000002", "x", "Order_42.retry-1")).statusCode());
  }

  @Test
  void getMessage_pathSegmentIsDecodedOnce() throws Exception {
    assertEquals(202, api.post("/v1/messages", send("+40700000002", "x", "Abc")).statusCode());
    assertEquals(200, api.get("/v1/messages/Abc").statusCode());
    assertEquals(200, api.get("/v1/messages/%41bc").statusCode(), "one decoding: %41 is A");
    // Decoded once this is the text "%41bc", which is no message id; decoded twice it would be "Abc".
    // The runtime (Jetty) already refuses an encoded '%' in a path as ambiguous; either way, 400.
    HttpResponse<String> twice = api.get("/v1/messages/%2541bc");
    assertEquals(400, twice.statusCode(), twice.body());
    assertFalse(twice.body().contains("QUEUED"), twice.body());
  }

  /**
   * A message sent while the account is being deleted: the enqueue reads the account in its own
   * transaction, so a message is either queued before the account was marked DELETED or refused.
   * The send starts at a different moment each round so that it lands inside the delete's work.
   */
  @Test
  void send_racingADelete_isQueuedBeforeTheMarkOrRefused() throws Exception {
    api.stores.leases().renew("conn-1", Duration.ofHours(1), "v1", 1, 0);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 30; round++) {
        String accountId = "race" + round;
        api.stores.accounts().create(Account.newAccount(accountId, "Race", "+40700000001", api.clock.instant()));
        api.stores.leases().claim(accountId, "conn-1");
        CountDownLatch go = new CountDownLatch(1);
        long delayMicros = round * 300L;
        String key = "race-key-" + round;
        Future<HttpResponse<String>> delete = pool.submit(() -> {
          go.await();
          TimeUnit.MICROSECONDS.sleep(delayMicros);
          return api.send("DELETE", "/v1/accounts/" + accountId, null);
        });
        Future<HttpResponse<String>> message = pool.submit(() -> {
          go.await();
          return api.post("/v1/messages", "{\"accountId\":\"" + accountId + "\",\"to\":\"+40700000002\",\"text\":\"x\","
              + "\"idempotencyKey\":\"" + key + "\"}");
        });
        go.countDown();
        assertEquals(202, delete.get(60, TimeUnit.SECONDS).statusCode(), "round " + round);
        HttpResponse<String> sent = message.get(60, TimeUnit.SECONDS);
        DocumentSnapshot account = api.firestore().collection("accounts").document(accountId).get().get();
        DocumentSnapshot item = api.firestore().collection("outbox").document(key).get().get();
        if (sent.statusCode() == 202) {
          assertTrue(item.getCreateTime().compareTo(account.getUpdateTime()) < 0,
              "round " + round + ": a message was queued after the account was marked DELETED");
        } else {
          assertError(sent, 409, "conflict", null);
          assertFalse(item.exists(), "round " + round);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void getMessage_existing_showsStatus() throws Exception {
    api.post("/v1/messages", send("+40700000002", "status?", "k3"));
    JsonNode body = ApiServer.json(api.get("/v1/messages/k3"));
    assertEquals("QUEUED", body.path("status").asText());
    assertEquals("acc1", body.path("accountId").asText());
  }

  @Test
  void threads_andMessages_arePagedWithCursor() throws Exception {
    Instant t0 = api.clock.instant();
    for (int i = 0; i < 3; i++) {
      String chat = "4070000001" + i + "@s.whatsapp.net";
      for (int m = 0; m < 3; m++) {
        api.stores.messages().store(new StoredMessage("w" + i + m, "acc1", chat, Direction.INBOUND, chat,
            "40700000001@s.whatsapp.net", "text " + m, null, null, t0.plusSeconds(i * 10L + m), null));
      }
    }
    JsonNode page1 = ApiServer.json(api.get("/v1/threads?accountId=acc1&limit=2"));
    assertEquals(2, page1.path("items").size());
    assertEquals(ChatThread.idFor("acc1", "40700000012@s.whatsapp.net"), page1.path("items").get(0).path("id").asText());
    JsonNode page2 = ApiServer.json(api.get("/v1/threads?accountId=acc1&limit=2&after=" + page1.path("next").asText()));
    assertEquals(1, page2.path("items").size());
    assertTrue(page2.path("next").isNull());

    String thread = ChatThread.idFor("acc1", "40700000010@s.whatsapp.net");
    JsonNode m1 = ApiServer.json(api.get("/v1/threads/" + thread + "/messages?limit=2"));
    assertEquals(2, m1.path("items").size());
    assertEquals("w00", m1.path("items").get(0).path("id").asText());
    JsonNode m2 = ApiServer.json(api.get("/v1/threads/" + thread + "/messages?limit=2&after=" + m1.path("next").asText()));
    assertEquals("w02", m2.path("items").get(0).path("id").asText());
    assertTrue(m2.path("next").isNull());
  }
}
