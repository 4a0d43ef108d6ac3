package io.wafleet.functions.api;

import static io.wafleet.functions.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.Owner;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthAndAdminApiIT {

  @RegisterExtension static final ApiServer api = ApiServer.extension();

  private void seedAccount(String id, AccountStatus status, Owner owner) {
    api.stores.accounts().create(Account.newAccount(id, "Name " + id, "+4070000000" + id.charAt(id.length() - 1),
        api.clock.instant()).toBuilder().status(status).owner(owner).reconnectAttempts(2)
        .lastEventAt(api.clock.instant().minusSeconds(300)).build());
  }

  @Test
  void health_accountsButNoLiveConnector_is503Degraded() throws Exception {
    seedAccount("a1", AccountStatus.DISCONNECTED, null);
    api.clock.advance(HealthHandler.ANONYMOUS_CACHE);
    HttpResponse<String> r = api.call("GET", "/v1/health", null, null, Map.of());
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("degraded", ApiServer.json(r).path("status").asText());
  }

  @Test
  void health_liveConnector_is200WithDetailsForAuthenticatedCaller() throws Exception {
    seedAccount("a1", AccountStatus.CONNECTED, null);
    api.stores.leases().renew("conn-1", Duration.ofSeconds(30), "0.1.0", 1, 1024);
    HttpResponse<String> r = api.get("/v1/health");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = ApiServer.json(r);
    assertEquals("ok", body.path("status").asText());
    assertEquals("1.2.3", body.path("version").asText());
    assertEquals("abc1234", body.path("commit").asText());
    assertTrue(body.path("bootedAt").isTextual());
    assertTrue(body.path("firestore").path("reachable").asBoolean());
    assertEquals(1, body.path("accountsByStatus").path("CONNECTED").asLong());
    assertEquals("conn-1", body.path("connectors").get(0).path("instanceId").asText());
    assertTrue(body.path("connectors").get(0).path("live").asBoolean());
  }

  @Test
  void health_connectorBeatStale_isDegraded() throws Exception {
    seedAccount("a1", AccountStatus.CONNECTED, null);
    api.stores.leases().renew("conn-1", Duration.ofHours(1), "0.1.0", 1, 1024);
    api.clock.advance(Duration.ofMinutes(4));
    HttpResponse<String> r = api.get("/v1/health");
    assertEquals(503, r.statusCode(), r.body());
    assertFalse(ApiServer.json(r).path("connectors").get(0).path("live").asBoolean());
  }

  @Test
  void health_anonymous_isCachedBriefly_whileAuthenticatedCallersSeeNow() throws Exception {
    api.clock.advance(HealthHandler.ANONYMOUS_CACHE);
    HttpResponse<String> first = api.call("GET", "/v1/health", null, null, Map.of());
    assertEquals(200, first.statusCode(), first.body());
    seedAccount("a1", AccountStatus.DISCONNECTED, null);
    assertEquals(503, api.get("/v1/health").statusCode(), "an authenticated caller sees the current state");
    HttpResponse<String> cached = api.call("GET", "/v1/health", null, null, Map.of());
    assertEquals(200, cached.statusCode(), "the anonymous answer comes from the cache: " + cached.body());
    assertEquals("{\"status\":\"ok\"}", cached.body());
    api.clock.advance(HealthHandler.ANONYMOUS_CACHE);
    HttpResponse<String> fresh = api.call("GET", "/v1/health", null, null, Map.of());
    assertEquals(503, fresh.statusCode(), fresh.body());
    assertEquals("{\"status\":\"degraded\"}", fresh.body());
  }

  @Test
  void heartbeats_instantsOutsideFirestoresRange_are400() throws Exception {
    assertError(api.get("/v1/admin/heartbeats?from=-999999999-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"),
        400, "invalid-field", "from");
    assertError(api.get("/v1/admin/heartbeats?from=2026-01-01T00:00:00Z&to=+999999999-12-31T23:59:59Z"),
        400, "invalid-field", "to");
    assertError(api.get("/v1/admin/heartbeats?to=-999999999-01-01T00:00:00Z"), 400, "invalid-field", "to");
    assertError(api.get("/v1/admin/heartbeats?to=0001-01-01T00:00:00Z"), 400, "invalid-field", "from");
    assertEquals(200, api.get("/v1/admin/heartbeats?from=0001-01-01T00:00:00Z&to=0001-01-01T01:00:00Z").statusCode());
  }

  @Test
  void statusNow_manyAccounts_reportsEachOnesSessionFromBatchedReads() throws Exception {
    for (int i = 0; i < 6; i++) {
      seedAccount("b" + i, AccountStatus.CONNECTED, null);
      if (i % 2 == 0) {
        api.firestore().collection("wa_sessions").document("b" + i).set(Map.of("keyId", "k")).get();
      }
      for (int k = 0; k < i; k++) {
        api.firestore().collection("wa_sessions").document("b" + i).collection("keys").document("pre-key_" + k)
            .set(Map.of("keyId", "k")).get();
      }
    }
    JsonNode accounts = ApiServer.json(api.get("/v1/status-now")).path("accounts");
    assertEquals(6, accounts.size());
    for (int i = 0; i < 6; i++) {
      JsonNode a = accounts.get(i);
      assertEquals("b" + i, a.path("accountId").asText());
      assertEquals(i % 2 == 0, a.path("authCredsPresent").asBoolean(), "b" + i);
      assertEquals(i, a.path("authKeyCount").asLong(), "b" + i);
    }
  }

  @Test
  void statusNow_reportsSeedFieldsPerAccount() throws Exception {
    api.stores.leases().renew("conn-1", Duration.ofSeconds(30), "0.1.0", 1, 1024);
    seedAccount("a1", AccountStatus.CONNECTED, new Owner("conn-1", 3));
    api.firestore().collection("wa_sessions").document("a1").collection("keys").document("pre-key_1")
        .set(Map.of("keyId", "k")).get();
    JsonNode body = ApiServer.json(api.get("/v1/status-now"));
    assertEquals("fleet", body.path("mode").asText());
    JsonNode a = body.path("accounts").get(0);
    assertEquals("a1", a.path("accountId").asText());
    assertEquals("CONNECTED", a.path("status").asText());
    assertEquals(2, a.path("retryCount").asInt());
    assertEquals("firestore", a.path("authStore").asText());
    assertEquals(1, a.path("authKeyCount").asLong());
    assertEquals("conn-1", a.path("lockHolder").asText());
    assertEquals(3, a.path("lockGeneration").asLong());
    assertTrue(a.path("leaseLive").asBoolean());
    for (String field : new String[] {"connectedAt", "lastDisconnectAt", "lastDisconnectReason", "nextRetryAt", "leaseUntil"}) {
      assertTrue(a.has(field), field);
    }
    assertEquals(1, ApiServer.json(api.get("/v1/status-now?accountId=a1")).path("accounts").size());
  }

  @Test
  void dashboardJson_listsAccountsWithMaskedPhonesAndCounts() throws Exception {
    seedAccount("a1", AccountStatus.CONNECTED, null);
    seedAccount("a2", AccountStatus.NEEDS_QR, null);
    HttpResponse<String> r = api.get("/v1/dashboard");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = ApiServer.json(r);
    assertEquals(1, body.path("counts").path("CONNECTED").asLong());
    assertEquals(1, body.path("counts").path("NEEDS_QR").asLong());
    assertEquals(2, body.path("accounts").size());
    assertTrue(body.path("accounts").get(1).path("needsQr").asBoolean());
    assertEquals(2, body.path("accounts").get(0).path("reconnectAttempts").asInt());
    assertFalse(r.body().contains("+40700000001"), r.body());
    assertEquals("+*******0001", body.path("accounts").get(0).path("phoneMasked").asText());
  }

  @Test
  void adminReads_returnWhatMonitorsWrote() throws Exception {
    Instant now = api.clock.instant();
    api.stores.heartbeats().store(new Heartbeat(now.minusSeconds(120), 1, Map.of("CONNECTED", 3L), 0, 0, now));
    api.stores.probes().store(new Probe(ProbeType.values()[0], now, true, 420, "a1", null));
    api.stores.locks().tryLock("heartbeat", "fn-1", Duration.ofMinutes(1));
    api.stores.monitorConfig().store(Map.of("alertsEnabled", true, "probeChat", "x"));
    api.stores.incidents().open("disconnected", "a1", "down 11 min");
    assertEquals(1, ApiServer.json(api.get("/v1/admin/heartbeats")).path("items").size());
    JsonNode coverage = ApiServer.json(api.get("/v1/admin/coverage?from=" + now.minusSeconds(180) + "&to=" + now));
    assertEquals(3, coverage.path("minutesInWindow").asLong(), coverage.toString());
    assertEquals(1, coverage.path("minutesWithHeartbeat").asLong(), coverage.toString());
    assertEquals(2, coverage.path("gaps").size(), coverage.toString());
    String today = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).toString();
    JsonNode report = ApiServer.json(api.get("/v1/admin/report?day=" + today));
    assertEquals(1, report.path("coverage").path("minutesWithHeartbeat").asLong(), report.toString());
    HttpResponse<String> markdown = api.get("/v1/admin/report?day=" + today + "&format=markdown");
    assertEquals(200, markdown.statusCode(), markdown.body());
    assertTrue(markdown.body().startsWith("# wafleet daily report " + today + " (UTC)"), markdown.body());
    assertEquals(400, api.get("/v1/admin/report?day=yesterday").statusCode());
    HttpResponse<String> reversed = api.get("/v1/admin/coverage?from=" + now + "&to=" + now.minusSeconds(60));
    assertEquals(400, reversed.statusCode(), reversed.body());
    assertEquals("from", ApiServer.json(reversed).path("field").asText());
    assertEquals(400, api.get("/v1/admin/coverage?from=" + now.minus(Duration.ofDays(9))).statusCode());
    assertEquals(420, ApiServer.json(api.get("/v1/admin/probes")).path("items").get(0).path("latencyMs").asLong());
    JsonNode stats = ApiServer.json(api.get("/v1/admin/probes/stats?from=" + now.minusSeconds(60) + "&to=" + now.plusSeconds(60)));
    String probeType = ProbeType.values()[0].name();
    assertEquals(1, stats.path("types").path(probeType).path("passed").asInt(), stats.toString());
    assertEquals(420, stats.path("types").path(probeType).path("p95Ms").asLong(), stats.toString());
    assertEquals("fn-1", ApiServer.json(api.get("/v1/admin/locks")).path("locks").path("heartbeat").path("holder").asText());
    assertTrue(ApiServer.json(api.get("/v1/admin/config")).path("config").path("alertsEnabled").asBoolean());
    JsonNode open = ApiServer.json(api.get("/v1/admin/incidents"));
    assertEquals(1, open.path("items").size());
    String id = open.path("items").get(0).path("id").asText();

    api.clock.advance(Duration.ofMinutes(3));
    HttpResponse<String> resolved = api.post("/v1/admin/incidents/" + id + "/resolve", "{\"resolution\":\"phone back online\"}");
    assertEquals(200, resolved.statusCode(), resolved.body());
    assertEquals("RESOLVED", ApiServer.json(resolved).path("state").asText());
    assertEquals(180, ApiServer.json(resolved).path("timeToRecoverSeconds").asLong());
    assertEquals(0, ApiServer.json(api.get("/v1/admin/incidents")).path("items").size());
    assertEquals(1, ApiServer.json(api.get("/v1/admin/incidents?state=RESOLVED")).path("items").size());
  }
}
