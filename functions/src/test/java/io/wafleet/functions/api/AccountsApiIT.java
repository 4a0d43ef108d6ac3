package io.wafleet.functions.api;

import static io.wafleet.functions.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountsApiIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();
  private static ApiServer api;

  @BeforeAll
  static void start() throws Exception {
    api = ApiServer.start(FIRESTORE.firestore());
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

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
  void pairingCode_validPhone_setsCommandAndPhoneAndLaterShowsCode() throws Exception {
    String id = create("Link", "+40700000006");
    HttpResponse<String> r = api.post("/v1/accounts/" + id + "/pairing-code", "{\"phone\":\"+40700000006\"}");
    assertEquals(202, r.statusCode(), r.body());
    Account stored = api.stores.accounts().load(id).orElseThrow();
    assertEquals(AccountCommand.Kind.PAIRING_CODE, stored.command().kind());
    assertEquals("+40700000006", stored.pairingPhone());
    api.stores.accounts().update(id, a -> a.toBuilder().pairingCode("ABCD-EFGH").build());
    assertEquals("ABCD-EFGH", ApiServer.json(api.get("/v1/accounts/" + id)).path("pairingCode").asText());
  }

  @Test
  void delete_noLiveOwner_removesAccountAndSession() throws Exception {
    String id = create("Gone", "+40700000007");
    FIRESTORE.firestore().collection("wa_sessions").document(id).set(Map.of("keyId", "k")).get();
    FIRESTORE.firestore().collection("wa_sessions").document(id).collection("keys").document("pre-key_1")
        .set(Map.of("keyId", "k")).get();
    HttpResponse<String> r = api.send("DELETE", "/v1/accounts/" + id, null);
    assertEquals(204, r.statusCode(), r.body());
    assertTrue(api.stores.accounts().load(id).isEmpty());
    assertFalse(FIRESTORE.firestore().collection("wa_sessions").document(id).get().get().exists());
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
