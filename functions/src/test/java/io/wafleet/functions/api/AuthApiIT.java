package io.wafleet.functions.api;

import static io.wafleet.functions.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.QrCode;
import io.wafleet.functions.auth.FakeGoogleCerts;
import io.wafleet.functions.auth.GoogleIdTokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admin token, Google identity tokens (real verifier, local fake certificates), view links. */
class AuthApiIT {

  static final String AUDIENCE = "https://api.wafleet.test";
  static final String ALLOWED = "scheduler@wafleet-test.iam.gserviceaccount.com";
  private static FakeGoogleCerts certs;

  @RegisterExtension static final ApiServer api = ApiServer.extension(() -> {
    certs = startCerts();
    return ApiServer.config(Optional.of(new FunctionsConfig.IdTokenConfig(AUDIENCE, Set.of(ALLOWED), certs.certsUrl())));
  });

  private static FakeGoogleCerts startCerts() {
    try {
      return FakeGoogleCerts.start();
    } catch (Exception e) {
      throw new IllegalStateException("the fake certificate endpoint did not start", e);
    }
  }

  @AfterAll
  static void stopCerts() {
    certs.close();
  }

  private HttpResponse<String> withBearer(String path, String token) throws Exception {
    return api.call("GET", path, null, null, Map.of("Authorization", "Bearer " + token));
  }

  private String token(String email, String audience, Duration validFor) {
    Instant now = api.clock.instant();
    return certs.token(email, audience, now.minusSeconds(10), now.plus(validFor));
  }

  @Test
  void adminToken_valid_isAccepted() throws Exception {
    assertEquals(200, api.get("/v1/accounts").statusCode());
  }

  @Test
  void adminToken_missingOrWrong_is401() throws Exception {
    assertError(api.call("GET", "/v1/accounts", null, null, Map.of()), 401, "unauthenticated", null);
    assertError(api.call("GET", "/v1/accounts", null, null, Map.of("X-Admin-Token", ApiServer.ADMIN_TOKEN + "x")),
        401, "unauthenticated", null);
    assertError(api.call("GET", "/v1/accounts", null, null, Map.of("X-Admin-Token", "")), 401, "unauthenticated", null);
    assertError(api.call("GET", "/v1/dashboard", null, null, Map.of("Authorization", "Basic abc")),
        401, "unauthenticated", null);
  }

  @Test
  void idToken_validFromAllowedServiceAccount_isAccepted() throws Exception {
    HttpResponse<String> r = withBearer("/v1/accounts", token(ALLOWED, AUDIENCE, Duration.ofMinutes(30)));
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void idToken_wrongAudience_is401() throws Exception {
    assertError(withBearer("/v1/accounts", token(ALLOWED, "https://other.example", Duration.ofMinutes(30))),
        401, "unauthenticated", null);
  }

  @Test
  void idToken_expired_is401() throws Exception {
    Instant now = api.clock.instant();
    String expired = certs.token(ALLOWED, AUDIENCE, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));
    assertError(withBearer("/v1/accounts", expired), 401, "unauthenticated", null);
  }

  @Test
  void idToken_unknownSigner_is401() throws Exception {
    Instant now = api.clock.instant();
    String forged = certs.tokenFromUnknownSigner(ALLOWED, AUDIENCE, now, now.plus(Duration.ofMinutes(30)));
    assertError(withBearer("/v1/accounts", forged), 401, "unauthenticated", null);
    assertError(withBearer("/v1/accounts", "not.a.jwt"), 401, "unauthenticated", null);
  }

  private Map<String, Object> claims(Instant iat, Instant exp) {
    return FakeGoogleCerts.claims(ALLOWED, AUDIENCE, iat, exp);
  }

  @Test
  void idToken_withoutExpOrIat_is401() throws Exception {
    Instant now = api.clock.instant();
    Map<String, Object> noExp = claims(now, now.plusSeconds(600));
    noExp.remove("exp");
    assertError(withBearer("/v1/accounts", certs.token(noExp)), 401, "unauthenticated", null);
    Map<String, Object> noIat = claims(now, now.plusSeconds(600));
    noIat.remove("iat");
    assertError(withBearer("/v1/accounts", certs.token(noIat)), 401, "unauthenticated", null);
  }

  @Test
  void idToken_livingLongerThanAnHour_is401() throws Exception {
    Instant now = api.clock.instant();
    assertError(withBearer("/v1/accounts", certs.token(claims(now, now.plus(Duration.ofDays(3650))))),
        401, "unauthenticated", null);
    assertError(withBearer("/v1/accounts", certs.token(claims(now.minusSeconds(60), now.plus(Duration.ofHours(2))))),
        401, "unauthenticated", null);
    assertEquals(200, withBearer("/v1/accounts", certs.token(claims(now, now.plus(Duration.ofHours(1))))).statusCode());
  }

  @Test
  void idToken_issuedOrValidOnlyInTheFuture_is401_withinSkewAccepted() throws Exception {
    Instant now = api.clock.instant();
    Instant future = now.plus(Duration.ofMinutes(10));
    assertError(withBearer("/v1/accounts", certs.token(claims(future, future.plus(Duration.ofMinutes(30))))),
        401, "unauthenticated", null);
    Map<String, Object> notYet = claims(now, now.plus(Duration.ofMinutes(30)));
    notYet.put("nbf", future.getEpochSecond());
    assertError(withBearer("/v1/accounts", certs.token(notYet)), 401, "unauthenticated", null);
    Instant slightlyAhead = now.plusSeconds(20);
    assertEquals(200, withBearer("/v1/accounts", certs.token(claims(slightlyAhead, slightlyAhead.plusSeconds(600))))
        .statusCode(), "a clock a few seconds ahead is tolerated");
  }

  @Test
  void idToken_bothDocumentedIssuerSpellings_areAccepted_othersAre401() throws Exception {
    Instant now = api.clock.instant();
    for (String issuer : new String[] {"https://accounts.google.com", "accounts.google.com"}) {
      Map<String, Object> c = claims(now, now.plusSeconds(600));
      c.put("iss", issuer);
      assertEquals(200, withBearer("/v1/accounts", certs.token(c)).statusCode(), issuer);
    }
    Map<String, Object> other = claims(now, now.plusSeconds(600));
    other.put("iss", "https://evil.example");
    assertError(withBearer("/v1/accounts", certs.token(other)), 401, "unauthenticated", null);
  }

  @Test
  void idToken_newKid_refetchesKeysAtMostOncePerInterval() throws Exception {
    Instant now = api.clock.instant();
    assertEquals(200, withBearer("/v1/accounts", token(ALLOWED, AUDIENCE, Duration.ofMinutes(30))).statusCode());
    int fetched = certs.fetches();
    certs.rotate();
    assertEquals(200, withBearer("/v1/accounts", certs.token(claims(now, now.plusSeconds(600)))).statusCode(),
        "a token signed with a key Google rotated in is accepted after one refetch");
    assertEquals(fetched + 1, certs.fetches());
    certs.rotate();
    String newest = certs.token(claims(now, now.plusSeconds(1800)));
    assertError(withBearer("/v1/accounts", newest), 401, "unauthenticated", null);
    assertError(withBearer("/v1/accounts", newest), 401, "unauthenticated", null);
    assertEquals(fetched + 1, certs.fetches(), "no refetch within the interval");
    api.clock.advance(GoogleIdTokens.REFETCH_INTERVAL);
    assertEquals(200, withBearer("/v1/accounts", newest).statusCode());
    assertEquals(fetched + 2, certs.fetches());
  }

  @Test
  void idToken_emailNotAllowed_is403() throws Exception {
    assertError(withBearer("/v1/accounts", token("intruder@evil.example", AUDIENCE, Duration.ofMinutes(30))),
        403, "forbidden", null);
  }

  @Test
  void health_anonymous_showsOnlyStatus() throws Exception {
    api.clock.advance(HealthHandler.ANONYMOUS_CACHE);
    HttpResponse<String> r = api.call("GET", "/v1/health", null, null, Map.of());
    JsonNode body = ApiServer.json(r);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, body.size(), r.body());
    assertEquals("ok", body.path("status").asText());
    assertError(api.call("GET", "/v1/health", null, null, Map.of("X-Admin-Token", "wrong")), 401, "unauthenticated", null);
  }

  @Test
  void qrEndpoints_anonymous_are401ButHtmlShellNeedsNoToken() throws Exception {
    api.stores.accounts().create(Account.newAccount("acc1", "Q", "+40700000001", api.clock.instant()).toBuilder()
        .qr(new QrCode("2@secret-ref", api.clock.instant().plusSeconds(60))).build());
    assertError(api.call("GET", "/v1/accounts/acc1/qr", null, null, Map.of()), 401, "unauthenticated", null);
    HttpResponse<String> json = api.call("GET", "/v1/accounts/acc1/qr?format=json", null, null, Map.of());
    assertError(json, 401, "unauthenticated", null);
    assertError(api.call("POST", "/v1/accounts/acc1/pairing-code", "{\"phone\":\"+40700000001\"}", "application/json",
        Map.of()), 401, "unauthenticated", null);
    HttpResponse<String> page = api.call("GET", "/v1/accounts/acc1/qr?format=html", null, null, Map.of());
    assertEquals(200, page.statusCode());
    assertFalse(page.body().contains("secret-ref"));
    assertFalse(page.body().contains(ApiServer.ADMIN_TOKEN));
    assertTrue(page.body().contains("sessionStorage"));
  }

  @Test
  void viewLink_validWithinFiveMinutes_thenExpires() throws Exception {
    HttpResponse<String> issued = api.post("/v1/dashboard/links", null);
    assertEquals(201, issued.statusCode(), issued.body());
    String url = ApiServer.json(issued).path("url").asText();
    assertTrue(url.startsWith("/v1/dashboard.html?view="), url);
    assertFalse(url.contains(ApiServer.ADMIN_TOKEN));
    assertEquals(200, api.call("GET", url, null, null, Map.of()).statusCode());
    assertError(api.call("GET", url + "x", null, null, Map.of()), 401, "unauthenticated", null);
    assertError(api.call("GET", url.replace("dashboard.html", "dashboard"), null, null, Map.of()),
        401, "unauthenticated", null);
    api.clock.advance(Duration.ofMinutes(6));
    assertError(api.call("GET", url, null, null, Map.of()), 401, "unauthenticated", null);
    assertError(api.call("GET", "/v1/dashboard.html", null, null, Map.of()), 401, "unauthenticated", null);
  }
}
