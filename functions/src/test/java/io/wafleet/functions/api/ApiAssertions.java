package io.wafleet.functions.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Shared assertions on the API's answers. */
final class ApiAssertions {

  private ApiAssertions() {}

  /** The error shape {code, message, field}, the status, and no stack trace or exception text. */
  static JsonNode assertError(HttpResponse<String> r, int status, String code, String field) throws IOException {
    assertEquals(status, r.statusCode(), () -> "body: " + r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
    JsonNode body = ApiServer.json(r);
    assertEquals(code, body.path("code").asText(), r.body());
    assertTrue(body.path("message").isTextual() && !body.path("message").asText().isEmpty(), r.body());
    if (field == null) {
      assertTrue(body.path("field").isMissingNode(), r.body());
    } else {
      assertEquals(field, body.path("field").asText(), r.body());
    }
    List<String> names = new ArrayList<>();
    Iterator<String> it = body.fieldNames();
    it.forEachRemaining(names::add);
    assertTrue(List.of("code", "message", "field").containsAll(names), r.body());
    for (String leak : List.of("Exception", "\tat ", "at io.", "at com.", "java.", "io.wafleet")) {
      assertFalse(r.body().contains(leak), () -> "leaks '" + leak + "': " + r.body());
    }
    return body;
  }
}
