package io.wafleet.functions.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static ApiError parseError(String body) {
    return assertThrows(ApiException.class,
        () -> Json.parse(body.getBytes(StandardCharsets.UTF_8), Requests.SendMessage.class)).error();
  }

  @Test
  void parse_validBody_fillsRecordAndLeavesMissingNull() {
    Requests.SendMessage m = Json.parse("{\"accountId\":\"a\",\"to\":\"+40700000001\",\"text\":\"hi\"}"
        .getBytes(StandardCharsets.UTF_8), Requests.SendMessage.class);
    assertEquals("hi", m.text());
    assertNull(m.idempotencyKey());
  }

  @Test
  void parse_numberForString_isInvalidFieldNamingIt() {
    ApiError e = parseError("{\"accountId\":\"a\",\"to\":\"x\",\"text\":12}");
    assertEquals(ApiErrorCode.INVALID_FIELD, e.kind());
    assertEquals("text", e.field());
  }

  @Test
  void parse_unknownField_isUnknownField() {
    ApiError e = parseError("{\"accountId\":\"a\",\"priority\":1}");
    assertEquals(ApiErrorCode.UNKNOWN_FIELD, e.kind());
    assertEquals("priority", e.field());
  }

  @Test
  void parse_duplicateKeyTrailingTokensOrNull_isInvalidJson() {
    assertEquals(ApiErrorCode.INVALID_JSON, parseError("{\"text\":\"a\",\"text\":\"b\"}").kind());
    assertEquals(ApiErrorCode.INVALID_JSON, parseError("{} []").kind());
    assertEquals(ApiErrorCode.INVALID_JSON, parseError("null").kind());
    assertEquals(ApiErrorCode.INVALID_JSON, parseError("\"text\"").kind());
  }

  @Test
  void apiError_serialises_toCodeMessageFieldOnly() {
    assertEquals("{\"code\":\"invalid-field\",\"message\":\"m\",\"field\":\"f\"}",
        new String(Json.write(new ApiError(ApiErrorCode.INVALID_FIELD, "m", "f")), StandardCharsets.UTF_8));
    assertEquals("{\"code\":\"internal\",\"message\":\"m\"}",
        new String(Json.write(new ApiError(ApiErrorCode.INTERNAL, "m", null)), StandardCharsets.UTF_8));
  }

  @Test
  void apiErrors_unexpectedFailure_isInternalWithoutDetails() {
    ApiError e = ApiErrors.map(new NullPointerException("secret detail"), "/v1/x");
    assertEquals(ApiErrorCode.INTERNAL, e.kind());
    assertEquals("internal error", e.message());
  }
}
