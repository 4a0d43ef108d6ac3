package io.wafleet.functions.http;

/**
 * Every error code the API answers with, each with its one HTTP status. Codes are stable lower-kebab
 * strings clients may branch on; a code is never reused for another meaning. docs/api.md lists them.
 */
public enum ApiErrorCode {
  /** The body is not JSON, or not a JSON object. Fix the body and retry. */
  INVALID_JSON("invalid-json", 400),
  /** The body has a field this endpoint does not accept; {@code field} names it. */
  UNKNOWN_FIELD("unknown-field", 400),
  /** A field, query parameter or path id is missing, of the wrong type or out of range. */
  INVALID_FIELD("invalid-field", 400),
  /** No credentials, or credentials that do not verify. Send a valid token. */
  UNAUTHENTICATED("unauthenticated", 401),
  /** The credentials verify but name a caller who is not allowed. */
  FORBIDDEN("forbidden", 403),
  /** The path or the document it names does not exist. */
  NOT_FOUND("not-found", 404),
  /** The path exists but not for this method; the {@code Allow} header lists the methods. */
  METHOD_NOT_ALLOWED("method-not-allowed", 405),
  /** The request conflicts with the account's state (e.g. QR for a connected account). */
  CONFLICT("conflict", 409),
  /** The idempotency key was already used for a different message. Use a new key. */
  IDEMPOTENCY_CONFLICT("idempotency-conflict", 409),
  /**
   * Concurrent writes to the same account won every attempt of this one; nothing was written.
   * Retry after the {@code Retry-After} header's seconds.
   */
  CONTENTION("contention", 409),
  /** The body is larger than the limit. */
  PAYLOAD_TOO_LARGE("payload-too-large", 413),
  /** A body was sent without {@code Content-Type: application/json}. */
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415),
  /** Firestore could not be reached or answered with an error. Retry later. */
  STORE_UNAVAILABLE("store-unavailable", 503),
  /** A bug. The body says nothing more; the log has the details. */
  INTERNAL("internal", 500);

  /** The {@code Retry-After} a {@link #CONTENTION} answer carries. */
  public static final int CONTENTION_RETRY_AFTER_SECONDS = 1;

  private final String code;
  private final int status;

  ApiErrorCode(String code, int status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
