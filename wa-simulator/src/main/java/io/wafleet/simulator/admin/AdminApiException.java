package io.wafleet.simulator.admin;

import io.wafleet.simulator.phone.PhoneBookException;

/**
 * An admin API error: HTTP status plus the JSON body {@code {code, message, field}} (see
 * CONTRIBUTING.md). Every status the API returns is created here. Skips its stack trace.
 */
final class ApiError extends RuntimeException {

  private final int status;
  private final String code;
  private final String field;

  private ApiError(int status, String code, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String field() {
    return field;
  }

  static ApiError badRequest(String code, String message, String field) {
    return new ApiError(400, code, message, field);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "not-found", message, null);
  }

  static ApiError notFound(String code, String message, String field) {
    return new ApiError(404, code, message, field);
  }

  static ApiError conflict(String code, String message) {
    return new ApiError(409, code, message, null);
  }

  static ApiError methodNotAllowed(String method) {
    return new ApiError(405, "method-not-allowed", method + " is not allowed here", null);
  }

  static ApiError unsupportedMediaType() {
    return new ApiError(415, "unsupported-media-type", "send Content-Type: application/json", null);
  }

  /** One status per phone-book reason. */
  static ApiError from(PhoneBookException e) {
    return switch (e.reason()) {
      case BAD_PHONE -> new ApiError(400, "bad-phone", e.getMessage(), e.field());
      case BAD_QR -> new ApiError(400, "bad-qr", e.getMessage(), e.field());
      case QR_MISMATCH -> new ApiError(400, "qr-mismatch", e.getMessage(), e.field());
      case UNKNOWN_PHONE -> new ApiError(404, "unknown-phone", e.getMessage(), e.field());
      case UNKNOWN_REF -> new ApiError(404, "unknown-ref", e.getMessage(), e.field());
      case UNKNOWN_DEVICE -> new ApiError(404, "unknown-device", e.getMessage(), e.field());
      case DUPLICATE_PHONE -> new ApiError(409, "duplicate-phone", e.getMessage(), e.field());
      case EXPIRED_REF -> new ApiError(410, "expired-ref", e.getMessage(), e.field());
    };
  }
}
