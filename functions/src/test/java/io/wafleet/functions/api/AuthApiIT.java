package io.wafleet.functions.api;

import static io.wafleet.functions.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.QrCode;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.functions.auth.FakeGoogleCerts;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admin token, Google identity tokens (real verifier, local fake certificates), view links. */
class AuthApiIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();
  static final String AUDIENCE = "https://api.wafleet.test";
  static final String ALLOWED = "scheduler@wafleet-test.iam.gserviceaccount.com";
  private static FakeGoogleCerts certs;
  private static ApiServer api;

  @BeforeAll
  static void start() throws Exception {
    certs = FakeGoogleCerts.start();
    api = ApiServer.start(FIRESTORE.firestore(), ApiServer.config(Optional.of(
        new FunctionsConfig.IdTokenConfig(AUDIENCE, Set.of(ALLOWED), certs.certsUrl()))));
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
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

  @Test
  void idToken_emailNotAllowed_is403() throws Exception {
    assertError(withBearer("/v1/accounts", token("intruder@evil.example", AUDIENCE, Duration.ofMinutes(30))),
        403, "forbidden", null);
  }

  @Test
  void health_anonymous_showsOnlyStatus() throws Exception {
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
