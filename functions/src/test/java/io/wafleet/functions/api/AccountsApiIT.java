package io.wafleet.functions.api;

import static io.wafleet.functions.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import com.google.cloud.firestore.DocumentSnapshot;
import io.wafleet.common.store.ClaimResult;
import io.wafleet.common.store.FencingException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountsApiIT {

  @RegisterExtension static final ApiServer api = ApiServer.extension();

  private String create(String name, String phone) throws Exception {
    HttpResponse<String> r = api.post("/v1/accounts", "{\"name\":\"" + name + "\",\"phone\":\"" + phone + "\"}");
    assertEquals(201, r.statusCode(), r.body());
    return ApiServer.json(r).path("id").asText();
  }

  @Test
  void create_validBody_returns201WithIdAndStoresPendingActiveAccount() throws Exception {
    HttpResponse<String> r = api.post("/v1/accounts", "{\"name\":\"Sales\",\"phone\":\"+40700000001\"}");
    assertEquals(201, r.statusCode(), r.body());
    JsonNode body = ApiServer.json(r);
    String id = body.path("id").asText();
    assertEquals("/v1/accounts/" + id, r.headers().firstValue("Location").orElseThrow());
    Account stored = api.stores.accounts().load(id).orElseThrow();
    assertEquals("Sales", stored.name());
    assertEquals("+40700000001", stored.phoneE164());
    assertEquals(AccountStatus.PENDING, stored.status());
    assertEquals(DesiredState.ACTIVE, stored.desired());
    assertNull(stored.owner());
  }

  @Test
  void list_twoAccounts_masksPhonesAndPages() throws Exception {
    create("A", "+40700000001");
    create("B", "+40700000002");
    HttpResponse<String> first = api.get("/v1/accounts?limit=1");
    assertEquals(200, first.statusCode(), first.body());
    JsonNode page = ApiServer.json(first);
    assertEquals(1, page.path("items").size());
    assertFalse(first.body().contains("+40700000001"), first.body());
    assertFalse(first.body().contains("+40700000002"), first.body());
    assertTrue(page.path("items").get(0).path("phoneMasked").asText().endsWith("000" + (page.path("items").get(0).path("name").asText().equals("A") ? "1" : "2")));
    JsonNode second = ApiServer.json(api.get("/v1/accounts?limit=1&after=" + page.path("next").asText()));
    assertEquals(1, second.path("items").size());
    JsonNode third = ApiServer.json(api.get("/v1/accounts?limit=1&after=" + second.path("next").asText()));
    assertEquals(0, third.path("items").size());
    assertTrue(third.path("next").isNull());
  }

  @Test
  void get_existing_showsFullPhoneAndStatus() throws Exception {
    String id = create("Support", "+40700000003");
    JsonNode body = ApiServer.json(api.get("/v1/accounts/" + id));
    assertEquals("+40700000003", body.path("phone").asText());
    assertEquals("PENDING", body.path("status").asText());
    assertFalse(body.has("qr"));
  }

  @Test
  void patch_name_changesOnlyTheName() throws Exception {
    String id = create("Old", "+40700000004");
    HttpResponse<String> r = api.send("PATCH", "/v1/accounts/" + id, "{\"name\":\"New\"}");
    assertEquals(200, r.statusCode(), r.body());
    Account stored = api.stores.accounts().load(id).orElseThrow();
    assertEquals("New", stored.name());
    assertEquals("+40700000004", stored.phoneE164());
  }

  @Test
  void stopStartReconnect_writeIntentOnly() throws Exception {
    String id = create("Ops", "+40700000005");
    assertEquals(202, api.post("/v1/accounts/" + id + "/stop", null).statusCode());
    assertEquals(DesiredState.STOPPED, api.stores.accounts().load(id).orElseThrow().desired());
    assertEquals(202, api.post("/v1/accounts/" + id + "/start", null).statusCode());
    assertEquals(DesiredState.ACTIVE, api.stores.accounts().load(id).orElseThrow().desired());
    assertEquals(202, api.post("/v1/accounts/" + id + "/reconnect", null).statusCode());
    Account stored = api.stores.accounts().load(id).orElseThrow();
    assertEquals(AccountCommand.Kind.RECONNECT, stored.command().kind());
    assertEquals(AccountStatus.PENDING, stored.status());
  }

  @Test
  void pairingCode_servedOnlyFromItsEndpoint_untilItExpiresOrIsUsed() throws Exception {
    String id = create("Link", "+40700000006");
    HttpResponse<String> r = api.post("/v1/accounts/" + id + "/pairing-code", "{\"phone\":\"+40700000006\"}");
    assertEquals(202, r.statusCode(), r.body());
    Account stored = api.stores.accounts().load(id).orElseThrow();
    assertEquals(AccountCommand.Kind.PAIRING_CODE, stored.command().kind());
    assertEquals("+40700000006", stored.pairingPhone());
    assertEquals(202, api.get("/v1/accounts/" + id + "/pairing-code").statusCode());

    // The owner publishes the code WhatsApp gave it, valid for a while.
    api.stores.leases().renew("conn-1", Duration.ofMinutes(10), "v1", 1, 0);
    Owner owner = api.stores.leases().claim(id, "conn-1").owner();
    // Firestore keeps microseconds; whole seconds compare equal after the round trip.
    Instant expiresAt = api.clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(120);
    api.stores.accounts().updateAsOwner(id, owner, a -> a.toBuilder().status(AccountStatus.NEEDS_QR)
        .pairingCode("ABCD-EFGH").pairingCodeExpiresAt(expiresAt).build());
    HttpResponse<String> account = api.get("/v1/accounts/" + id);
    assertFalse(account.body().contains("ABCD-EFGH"), account.body());
    assertFalse(api.get("/v1/accounts").body().contains("ABCD-EFGH"));
    JsonNode code = ApiServer.json(api.get("/v1/accounts/" + id + "/pairing-code"));
    assertEquals("ABCD-EFGH", code.path("code").asText());
    assertEquals(expiresAt.toString(), code.path("expiresAt").asText());

    api.clock.advance(Duration.ofSeconds(121));
    HttpResponse<String> expired = api.get("/v1/accounts/" + id + "/pairing-code");
    assertEquals(202, expired.statusCode(), expired.body());
    assertFalse(expired.body().contains("ABCD-EFGH"));

    Instant later = api.clock.instant().plusSeconds(120);
    api.stores.accounts().updateAsOwner(id, owner, a -> a.toBuilder().pairingCode("WXYZ-1234")
        .pairingCodeExpiresAt(later).build());
    assertEquals(200, api.get("/v1/accounts/" + id + "/pairing-code").statusCode());
    api.stores.accounts().updateAsOwner(id, owner, a -> a.toBuilder().status(AccountStatus.CONNECTED).build());
    assertNull(api.stores.accounts().load(id).orElseThrow().pairingCode(), "a used code is cleared");
    assertError(api.get("/v1/accounts/" + id + "/pairing-code"), 409, "conflict", null);
  }

  @Test
  void create_nameWithUnpairedSurrogateOrBidiControl_is400AndStoresNothing() throws Exception {
    for (String name : new String[] {"a\\uD800b", "a\\uDC00", "x\\u202Egnp.exe", "\\u2066name\\u2069", "a\\u200Fb"}) {
      HttpResponse<String> r = api.post("/v1/accounts", "{\"name\":\"" + name + "\",\"phone\":\"+40700000001\"}");
      assertError(r, 400, "invalid-field", "name");
    }
    String id = create("Ok", "+40700000001");
    assertError(api.send("PATCH", "/v1/accounts/" + id, "{\"name\":\"b\\uD83D\"}"), 400, "invalid-field", "name");
    assertEquals(201, api.post("/v1/accounts", "{\"name\":\"Caf\u00e9 \\uD83D\\uDE00\",\"phone\":\"+40700000002\"}")
        .statusCode(), "a paired surrogate (an emoji) is fine");
    assertEquals(2, api.stores.accounts().list(10, null).size());
  }

  @Test
  void patch_writesOnlyTheChangedFields_keepingFieldsItDoesNotKnow() throws Exception {
    String id = create("Old", "+40700000004");
    // A field a newer connector wrote, unknown to this API version.
    api.firestore().collection("accounts").document(id).update(Map.of("connectorNote", "keep me")).get();
    assertEquals(200, api.send("PATCH", "/v1/accounts/" + id, "{\"name\":\"New\"}").statusCode());
    assertEquals(202, api.post("/v1/accounts/" + id + "/stop", null).statusCode());
    DocumentSnapshot doc = api.firestore().collection("accounts").document(id).get().get();
    assertEquals("keep me", doc.getString("connectorNote"));
    assertEquals("New", doc.getString("name"));
    assertEquals("STOPPED", doc.getString("desired"));
  }

  @Test
  void patch_thirtyConcurrentWrites_eachAnswers200Or409WithRetryAfter_never503() throws Exception {
    String id = create("Busy", "+40700000010");
    int writers = 30;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String body = "{\"name\":\"writer " + i + "\"}";
        answers.add(pool.submit(() -> {
          go.await();
          return api.send("PATCH", "/v1/accounts/" + id, body);
        }));
      }
      go.countDown();
      List<String> winners = new ArrayList<>();
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          winners.add(ApiServer.json(r).path("name").asText());
        } else {
          assertError(r, 409, "contention", null);
          assertEquals("1", r.headers().firstValue("Retry-After").orElse(null), r.body());
        }
      }
      assertFalse(winners.isEmpty(), "at least one write wins");
      assertTrue(winners.contains(api.stores.accounts().load(id).orElseThrow().name()), "the stored name is a winner's");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A connector claims the account while it is being deleted. Whatever the interleaving, a claim
   * that succeeded must leave the account in place with LOGOUT for the claimer (never a deleted
   * account held by a connector that was not told); a claim after the decision is refused. The
   * claim starts at a different moment each round so that it lands inside the API's work.
   */
  @Test
  void delete_racingAClaim_eitherTellsTheClaimerToLogOutOrRefusesTheClaim() throws Exception {
    api.stores.leases().renew("conn-1", Duration.ofHours(1), "v1", 1, 0);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 30; round++) {
        String id = create("Race " + round, "+40700000011");
        CountDownLatch go = new CountDownLatch(1);
        long delayMicros = round * 500L;
        Future<HttpResponse<String>> delete = pool.submit(() -> {
          go.await();
          return api.send("DELETE", "/v1/accounts/" + id, null);
        });
        Future<ClaimResult> claim = pool.submit(() -> {
          go.await();
          TimeUnit.MICROSECONDS.sleep(delayMicros);
          return api.stores.leases().claim(id, "conn-1");
        });
        go.countDown();
        HttpResponse<String> answer = delete.get(60, TimeUnit.SECONDS);
        ClaimResult claimed = claim.get(60, TimeUnit.SECONDS);
        Optional<Account> after = api.stores.accounts().load(id);
        if (claimed.claimed()) {
          assertTrue(after.isPresent(), "round " + round + ": a claimed account was deleted without a logout");
          assertEquals(DesiredState.DELETED, after.get().desired());
          assertEquals(AccountCommand.Kind.LOGOUT, after.get().command().kind(), "round " + round);
          assertEquals(202, answer.statusCode(), answer.body());
        } else {
          assertEquals(204, answer.statusCode(), "round " + round + ": " + answer.body());
          assertTrue(after.isEmpty(), "round " + round);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void delete_ownerLeaseExpired_clearsTheOwnerSoItsLateSessionWritesAreFenced() throws Exception {
    String id = create("Late", "+40700000012");
    api.stores.leases().renew("conn-old", Duration.ofSeconds(30), "v1", 1, 0);
    Owner old = api.stores.leases().claim(id, "conn-old").owner();
    api.clock.advance(Duration.ofMinutes(5));
    assertEquals(204, api.send("DELETE", "/v1/accounts/" + id, null).statusCode());
    assertThrows(FencingException.class, () -> api.stores.sessions().storeCreds(id, old, new byte[] {1}));
    assertFalse(api.firestore().collection("wa_sessions").document(id).get().get().exists());
  }

  @Test
  void delete_noLiveOwner_removesAccountAndSession() throws Exception {
    String id = create("Gone", "+40700000007");
    api.firestore().collection("wa_sessions").document(id).set(Map.of("keyId", "k")).get();
    api.firestore().collection("wa_sessions").document(id).collection("keys").document("pre-key_1")
        .set(Map.of("keyId", "k")).get();
    HttpResponse<String> r = api.send("DELETE", "/v1/accounts/" + id, null);
    assertEquals(204, r.statusCode(), r.body());
    assertTrue(api.stores.accounts().load(id).isEmpty());
    assertFalse(api.firestore().collection("wa_sessions").document(id).get().get().exists());
    assertEquals(0, api.stores.sessions().countKeys(id));
  }

  @Test
  void delete_liveOwner_asksConnectorToLogOutAndAnswers202() throws Exception {
    String id = create("Owned", "+40700000008");
    api.stores.leases().renew("conn-1", Duration.ofSeconds(30), "v1", 1, 0);
    api.stores.accounts().update(id, a -> a.toBuilder().owner(new Owner("conn-1", 1)).build());
    HttpResponse<String> r = api.send("DELETE", "/v1/accounts/" + id, null);
    assertEquals(202, r.statusCode(), r.body());
    Account stored = api.stores.accounts().load(id).orElseThrow();
    assertEquals(DesiredState.DELETED, stored.desired());
    assertEquals(AccountCommand.Kind.LOGOUT, stored.command().kind());
    assertError(api.post("/v1/accounts/" + id + "/start", null), 409, "conflict", null);
  }

  @Test
  void delete_ownerLeaseExpired_deletesAtOnce() throws Exception {
    String id = create("Orphan", "+40700000009");
    api.stores.leases().renew("conn-dead", Duration.ofSeconds(30), "v1", 1, 0);
    api.stores.accounts().update(id, a -> a.toBuilder().owner(new Owner("conn-dead", 1)).build());
    api.clock.advance(Duration.ofMinutes(5));
    assertEquals(204, api.send("DELETE", "/v1/accounts/" + id, null).statusCode());
    assertTrue(api.stores.accounts().load(id).isEmpty());
  }

  @Test
  void unknownAccount_everyAction_is404() throws Exception {
    assertError(api.get("/v1/accounts/nope"), 404, "not-found", null);
    assertError(api.send("PATCH", "/v1/accounts/nope", "{\"name\":\"x\"}"), 404, "not-found", null);
    assertError(api.send("DELETE", "/v1/accounts/nope", null), 404, "not-found", null);
    for (String action : new String[] {"start", "stop", "reconnect"}) {
      assertError(api.post("/v1/accounts/nope/" + action, null), 404, "not-found", null);
    }
    assertError(api.post("/v1/accounts/nope/pairing-code", "{\"phone\":\"+40700000001\"}"), 404, "not-found", null);
    assertTrue(api.stores.accounts().list(10, null).isEmpty());
  }
}
