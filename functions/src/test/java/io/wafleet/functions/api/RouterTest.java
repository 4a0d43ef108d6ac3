package io.wafleet.functions.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wafleet.functions.http.ApiErrorCode;
import io.wafleet.functions.http.ApiException;
import org.junit.jupiter.api.Test;

class RouterTest {

  private final Router router = new Router()
      .add("GET", "/v1/accounts", Access.AUTHENTICATED, (ex, c) -> {})
      .add("POST", "/v1/accounts", Access.AUTHENTICATED, (ex, c) -> {})
      .add("GET", "/v1/accounts/{id}", Access.AUTHENTICATED, (ex, c) -> {})
      .add("POST", "/v1/accounts/{id}/stop", Access.AUTHENTICATED, (ex, c) -> {});

  @Test
  void match_templateWithParam_bindsTheSegmentAsGiven_neverDecodingTwice() {
    // The runtime decoded the request path once already: "%2541" arrived as "%41".
    Router.Match m = router.match("GET", "/v1/accounts/acc%41");
    assertEquals("/v1/accounts/{id}", m.route().template());
    assertEquals("acc%41", m.params().get("id"));
  }

  @Test
  void match_trailingSlash_isTheSamePath() {
    assertEquals("/v1/accounts", router.match("GET", "/v1/accounts/").route().template());
  }

  @Test
  void match_wrongMethod_listsAllowedMethods() {
    assertEquals("GET, POST", assertThrows(Router.MethodNotAllowedException.class,
        () -> router.match("DELETE", "/v1/accounts")).allow());
  }

  @Test
  void match_unknownPath_isNotFound() {
    ApiException e = assertThrows(ApiException.class, () -> router.match("GET", "/v1/nothing"));
    assertEquals(ApiErrorCode.NOT_FOUND, e.error().kind());
  }

  @Test
  void match_emptyIdSegment_bindsEmptyStringForValidation() {
    assertEquals("", router.match("POST", "/v1/accounts//stop").params().get("id"));
  }
}
