package io.wafleet.functions.api;

import static io.wafleet.functions.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.OutboxItem;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every bad input named in issue #5: a 4xx with {code, message, field}, and nothing written. */
class BadInputApiIT {

  @RegisterExtension static final ApiServer api = ApiServer.extension();

  private void assertNothingWritten() throws Exception {
    assertTrue(api.firestore().collection("accounts").get().get().isEmpty(), "accounts written");
    assertTrue(api.firestore().collection("outbox").get().get().isEmpty(), "outbox written");
  }

  private String seedAccount() {
    api.stores.accounts().create(Account.newAccount("acc1", "Seed", "+40700000001", api.clock.instant()));
    return "acc1";
  }

  @Test
  void createAccount_malformedJson_is400InvalidJson() throws Exception {
    assertError(api.post("/v1/accounts", "{\"name\":"), 400, "invalid-json", null);
    assertError(api.post("/v1/accounts", "not json"), 400, "invalid-json", null);
    assertError(api.post("/v1/accounts", "[1,2]"), 400, "invalid-json", null);
    assertError(api.post("/v1/accounts", "{\"name\":\"a\",\"name\":\"b\",\"phone\":\"+40700000001\"}"), 400, "invalid-json", null);
    assertError(api.post("/v1/accounts", "{\"name\":\"a\",\"phone\":\"+40700000001\"} {}"), 400, "invalid-json", null);
    assertError(api.post("/v1/accounts", ""), 400, "invalid-json", null);
    assertNothingWritten();
  }

  @Test
  void createAccount_wrongTypes_is400InvalidFieldNamingTheField() throws Exception {
    assertError(api.post("/v1/accounts", "{\"name\":42,\"phone\":\"+40700000001\"}"), 400, "invalid-field", "name");
    assertError(api.post("/v1/accounts", "{\"name\":\"a\",\"phone\":40700000001}"), 400, "invalid-field", "phone");
    assertError(api.post("/v1/accounts", "{\"name\":true,\"phone\":\"+40700000001\"}"), 400, "invalid-field", "name");
    assertError(api.post("/v1/accounts", "{\"name\":{},\"phone\":\"+40700000001\"}"), 400, "invalid-field", "name");
    assertError(api.post("/v1/accounts", "{\"phone\":\"+40700000001\"}"), 400, "invalid-field", "name");
    assertError(api.post("/v1/accounts", "{\"name\":\"   \",\"phone\":\"+40700000001\"}"), 400, "invalid-field", "name");
    assertNothingWritten();
  }

  @Test
  void createAccount_unknownField_is400UnknownField() throws Exception {
    assertError(api.post("/v1/accounts", "{\"name\":\"a\",\"phone\":\"+40700000001\",\"status\":\"CONNECTED\"}"),
        400, "unknown-field", "status");
    assertNothingWritten();
  }

  @Test
  void createAccount_phoneNotE164_is400() throws Exception {
    for (String phone : new String[] {"0700000001", "+0700000001", "+40 700 000 001", "+4070000000112345", "+40abc", ""}) {
      assertError(api.post("/v1/accounts", "{\"name\":\"a\",\"phone\":\"" + phone + "\"}"), 400, "invalid-field", "phone");
    }
    String id = seedAccount();
    assertError(api.post("/v1/accounts/" + id + "/pairing-code", "{\"phone\":\"0700\"}"), 400, "invalid-field", "phone");
    assertEquals(null, api.stores.accounts().load(id).orElseThrow().command());
  }

  @Test
  void sendMessage_textOverLimitOrEmpty_is400AndNothingQueued() throws Exception {
    String id = seedAccount();
    String tooLong = "x".repeat(OutboxItem.MAX_TEXT_LENGTH + 1);
    assertError(api.post("/v1/messages", "{\"accountId\":\"" + id + "\",\"to\":\"+40700000002\",\"text\":\"" + tooLong + "\"}"),
        400, "invalid-field", "text");
    assertError(api.post("/v1/messages", "{\"accountId\":\"" + id + "\",\"to\":\"+40700000002\",\"text\":\"\"}"),
        400, "invalid-field", "text");
    assertError(api.post("/v1/messages", "{\"accountId\":\"" + id + "\",\"to\":\"bob\",\"text\":\"hi\"}"),
        400, "invalid-field", "to");
    assertError(api.post("/v1/messages", "{\"accountId\":\"" + id + "\",\"to\":\"+40700000002\",\"text\":7}"),
        400, "invalid-field", "text");
    assertTrue(api.firestore().collection("outbox").get().get().isEmpty());
  }

  @Test
  void invalidFirestoreIds_are400InvalidField() throws Exception {
    assertError(api.get("/v1/accounts/__reserved__"), 400, "invalid-field", "id");
    assertError(api.get("/v1/accounts/" + "a".repeat(1501)), 400, "invalid-field", "id");
    assertError(api.get("/v1/messages/__x__"), 400, "invalid-field", "id");
    assertError(api.get("/v1/threads?accountId=__x__"), 400, "invalid-field", "accountId");
    assertError(api.get("/v1/accounts?after=__x__"), 400, "invalid-field", "after");
    assertError(api.post("/v1/messages", "{\"accountId\":\"__x__\",\"to\":\"+40700000002\",\"text\":\"hi\"}"),
        400, "invalid-field", "accountId");
    String id = seedAccount();
    assertError(api.post("/v1/messages", "{\"accountId\":\"" + id + "\",\"to\":\"+40700000002\",\"text\":\"hi\",\"idempotencyKey\":\"a/b\"}"),
        400, "invalid-field", "idempotencyKey");
    assertTrue(api.firestore().collection("outbox").get().get().isEmpty());
  }

  @Test
  void unknownIds_are404() throws Exception {
    assertError(api.get("/v1/accounts/missing"), 404, "not-found", null);
    assertError(api.get("/v1/messages/missing"), 404, "not-found", null);
    assertError(api.get("/v1/threads?accountId=missing"), 404, "not-found", null);
    assertError(api.get("/v1/threads/missing/messages"), 404, "not-found", null);
    assertError(api.post("/v1/admin/incidents/missing/resolve", null), 404, "not-found", null);
    assertError(api.post("/v1/messages", "{\"accountId\":\"missing\",\"to\":\"+40700000002\",\"text\":\"hi\"}"),
        404, "not-found", null);
    assertNothingWritten();
  }

  @Test
  void wrongMethod_is405WithAllow() throws Exception {
    HttpResponse<String> r = api.send("PUT", "/v1/accounts", "{}");
    assertError(r, 405, "method-not-allowed", null);
    assertEquals("GET, POST", r.headers().firstValue("Allow").orElseThrow());
    assertEquals("POST", api.get("/v1/accounts/x/stop").headers().firstValue("Allow").orElseThrow());
    assertError(api.send("DELETE", "/v1/health", null), 405, "method-not-allowed", null);
  }

  @Test
  void unknownPath_is404Json() throws Exception {
    assertError(api.get("/v2/accounts"), 404, "not-found", null);
    assertError(api.get("/"), 404, "not-found", null);
    assertError(api.get("/v1/accounts/a/b/c"), 404, "not-found", null);
  }

  @Test
  void wrongContentType_is415() throws Exception {
    String body = "{\"name\":\"a\",\"phone\":\"+40700000001\"}";
    assertError(api.call("POST", "/v1/accounts", body, "text/plain", ApiServer.ADMIN), 415, "unsupported-media-type", null);
    assertError(api.call("POST", "/v1/accounts", body, null, ApiServer.ADMIN), 415, "unsupported-media-type", null);
    assertEquals(201, api.call("POST", "/v1/accounts", body, "application/json; charset=utf-8", ApiServer.ADMIN).statusCode());
  }

  @Test
  void bodyOverLimit_is413AndNothingWritten() throws Exception {
    String huge = "{\"name\":\"" + "x".repeat(300 * 1024) + "\",\"phone\":\"+40700000001\"}";
    assertError(api.post("/v1/accounts", huge), 413, "payload-too-large", null);
    assertNothingWritten();
  }

  @Test
  void badQueryParameters_are400() throws Exception {
    assertError(api.get("/v1/accounts?limit=0"), 400, "invalid-field", "limit");
    assertError(api.get("/v1/accounts?limit=101"), 400, "invalid-field", "limit");
    assertError(api.get("/v1/accounts?limit=abc"), 400, "invalid-field", "limit");
    assertError(api.get("/v1/accounts?limit=1&limit=2"), 400, "invalid-field", "limit");
    assertError(api.get("/v1/threads"), 400, "invalid-field", "accountId");
    assertError(api.get("/v1/admin/incidents?state=MAYBE"), 400, "invalid-field", "state");
    assertError(api.get("/v1/admin/heartbeats?from=yesterday"), 400, "invalid-field", "from");
    assertError(api.get("/v1/accounts/acc1/qr?format=gif"), 400, "invalid-field", "format");
  }

  @Test
  void missingOrWrongToken_is401WithoutTouchingTheStore() throws Exception {
    String body = "{\"name\":\"a\",\"phone\":\"+40700000001\"}";
    assertError(api.call("POST", "/v1/accounts", body, "application/json", Map.of()), 401, "unauthenticated", null);
    assertError(api.call("POST", "/v1/accounts", body, "application/json", Map.of("X-Admin-Token", "wrong")),
        401, "unauthenticated", null);
    assertNothingWritten();
  }
}
