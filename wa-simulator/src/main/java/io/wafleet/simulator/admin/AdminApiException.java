package io.wafleet.simulator.admin;

import io.wafleet.simulator.phone.PhoneBookException;

/**
 * Thrown to answer an admin API request with an error: HTTP status plus the JSON body
 * {@code {code, message, field}} (see CONTRIBUTING.md). Every status the API returns is created
 * here. Skips its stack trace.
 */
final class AdminApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final String field;

  private AdminApiException(int status, String code, String message, String field) {
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

  static AdminApiException badRequest(String code, String message, String field) {
    return new AdminApiException(400, code, message, field);
  }

  static AdminApiException notFound(String message) {
    return new AdminApiException(404, "not-found", message, null);
  }

  static AdminApiException notFound(String code, String message, String field) {
    return new AdminApiException(404, code, message, field);
  }

  static AdminApiException forbidden(String code, String message, String field) {
    return new AdminApiException(403, code, message, field);
  }

  static AdminApiException conflict(String code, String message) {
    return new AdminApiException(409, code, message, null);
  }

  static AdminApiException methodNotAllowed(String method) {
    return new AdminApiException(405, "method-not-allowed", method + " is not allowed here", null);
  }

  static AdminApiException unsupportedMediaType() {
    return new AdminApiException(415, "unsupported-media-type", "send Content-Type: application/json", null);
  }

  /** One status per groups reason. */
  static AdminApiException from(io.wafleet.simulator.group.GroupException e) {
    return switch (e.reason()) {
      case BAD_REQUEST -> new AdminApiException(400, "bad-request", e.getMessage(), e.field());
      case UNKNOWN_GROUP -> new AdminApiException(404, "unknown-group", e.getMessage(), e.field());
      case UNKNOWN_PHONE -> new AdminApiException(404, "unknown-phone", e.getMessage(), e.field());
      case CONFLICT -> new AdminApiException(409, "group-conflict", e.getMessage(), e.field());
    };
  }

  /** One status per phone-book reason. */
  static AdminApiException from(PhoneBookException e) {
    return switch (e.reason()) {
      case BAD_PHONE -> new AdminApiException(400, "bad-phone", e.getMessage(), e.field());
      case BAD_QR -> new AdminApiException(400, "bad-qr", e.getMessage(), e.field());
      case QR_MISMATCH -> new AdminApiException(400, "qr-mismatch", e.getMessage(), e.field());
      case UNKNOWN_PHONE -> new AdminApiException(404, "unknown-phone", e.getMessage(), e.field());
      case UNKNOWN_REF -> new AdminApiException(404, "unknown-ref", e.getMessage(), e.field());
      case UNKNOWN_DEVICE -> new AdminApiException(404, "unknown-device", e.getMessage(), e.field());
      case DUPLICATE_PHONE -> new AdminApiException(409, "duplicate-phone", e.getMessage(), e.field());
      case EXPIRED_REF -> new AdminApiException(410, "expired-ref", e.getMessage(), e.field());
      case BAD_LINK_CODE -> new AdminApiException(400, "bad-code", e.getMessage(), e.field());
      case WRONG_LINK_CODE -> new AdminApiException(400, "wrong-code", e.getMessage(), e.field());
      case UNKNOWN_LINK_CODE -> new AdminApiException(404, "unknown-code", e.getMessage(), e.field());
      case EXPIRED_LINK_CODE -> new AdminApiException(410, "expired-code", e.getMessage(), e.field());
      case TOO_MANY_ATTEMPTS -> new AdminApiException(429, "too-many-attempts", e.getMessage(), e.field());
      case LINK_CODE_CONFLICT -> new AdminApiException(409, "code-conflict", e.getMessage(), e.field());
    };
  }
}
