package io.wafleet.functions.http;

import java.util.Objects;

/**
 * Thrown by handlers and parsers for any answer other than success; {@link ApiErrors} turns it into
 * the response. Expected, so it carries no stack trace.
 */
public final class ApiException extends RuntimeException {

  private final transient ApiError error;

  public ApiException(ApiErrorCode kind, String message, String field) {
    super(message, null, false, false);
    this.error = new ApiError(Objects.requireNonNull(kind, "kind == null"), message, field);
  }

  public ApiException(ApiErrorCode kind, String message) {
    this(kind, message, null);
  }

  public static ApiException invalidField(String field, String message) {
    return new ApiException(ApiErrorCode.INVALID_FIELD, field + " " + message, field);
  }

  public static ApiException notFound(String what) {
    return new ApiException(ApiErrorCode.NOT_FOUND, what + " not found");
  }

  public static ApiException conflict(String message) {
    return new ApiException(ApiErrorCode.CONFLICT, message);
  }

  public ApiError error() {
    return error;
  }
}
