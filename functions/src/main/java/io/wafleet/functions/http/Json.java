package io.wafleet.functions.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Strict JSON: unknown fields, duplicate keys, trailing tokens and type coercions (a number where a
 * string belongs) are refused, and every refusal becomes an {@link ApiException} naming the field.
 * Instants are written as ISO-8601 strings. Thread-safe (one shared mapper).
 */
public final class Json {

  private static final ObjectMapper MAPPER = build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses a request body into {@code type}, or throws an {@link ApiException} (400). */
  public static <T> T parse(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw new ApiException(ApiErrorCode.INVALID_JSON, "the body is empty; a JSON object is required");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new ApiException(ApiErrorCode.INVALID_JSON, "the body must be a JSON object");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      String field = path(e);
      throw new ApiException(ApiErrorCode.UNKNOWN_FIELD, "unknown field " + field, field);
    } catch (MismatchedInputException e) {
      String field = path(e);
      if (field.isEmpty()) {
        throw new ApiException(ApiErrorCode.INVALID_JSON, "the body must be a JSON object");
      }
      throw new ApiException(ApiErrorCode.INVALID_FIELD, field + " has the wrong type", field);
    } catch (JsonMappingException e) {
      String field = path(e);
      throw new ApiException(ApiErrorCode.INVALID_FIELD, field + " is not valid", field.isEmpty() ? null : field);
    } catch (JsonProcessingException e) {
      throw new ApiException(ApiErrorCode.INVALID_JSON, "the body is not valid JSON");
    } catch (java.io.IOException e) {
      throw new ApiException(ApiErrorCode.INVALID_JSON, "the body could not be read");
    }
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static ObjectMapper build() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .addModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
        .build();
    for (CoercionInputShape shape : new CoercionInputShape[] {
        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    return mapper;
  }
}
