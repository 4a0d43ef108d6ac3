package io.wafleet.functions.http;

import io.wafleet.common.store.AccountDeletingException;
import io.wafleet.common.store.ContentionException;
import io.wafleet.common.store.CorruptDocumentException;
import io.wafleet.common.store.IdempotencyConflictException;
import io.wafleet.common.store.InvalidDocumentIdException;
import io.wafleet.common.store.InvalidFieldException;
import io.wafleet.common.store.NotFoundStoreException;
import io.wafleet.common.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place mapping a failure to an {@link ApiError} (CONTRIBUTING.md). Expected failures keep
 * their message; anything unexpected becomes {@code internal} with a generic message and is logged
 * with its stack trace, which never reaches the body. Stateless; thread-safe.
 */
public final class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  public static ApiError map(Throwable failure, String route) {
    if (failure instanceof ApiException api) {
      return api.error();
    }
    if (failure instanceof InvalidDocumentIdException invalidId) {
      return new ApiError(ApiErrorCode.INVALID_FIELD, invalidId.getMessage(), invalidId.field());
    }
    if (failure instanceof InvalidFieldException invalidField) {
      return new ApiError(ApiErrorCode.INVALID_FIELD, invalidField.getMessage(), invalidField.field());
    }
    if (failure instanceof NotFoundStoreException) {
      return new ApiError(ApiErrorCode.NOT_FOUND, "not found", null);
    }
    if (failure instanceof IdempotencyConflictException) {
      return new ApiError(ApiErrorCode.IDEMPOTENCY_CONFLICT,
          "idempotencyKey was already used for a different message", "idempotencyKey");
    }
    if (failure instanceof ContentionException) {
      return new ApiError(ApiErrorCode.CONTENTION, "the account is being changed by other requests; retry shortly", null);
    }
    if (failure instanceof AccountDeletingException) {
      return new ApiError(ApiErrorCode.CONFLICT, "the account is being deleted", null);
    }
    if (failure instanceof CorruptDocumentException corrupt) {
      log.error("corrupt document route={} path={} field={}", route, corrupt.path(), corrupt.field());
      return new ApiError(ApiErrorCode.INTERNAL, "internal error", null);
    }
    if (failure instanceof StoreException) {
      log.warn("store unavailable route={}", route, failure);
      return new ApiError(ApiErrorCode.STORE_UNAVAILABLE, "the store is unavailable; retry later", null);
    }
    log.error("unexpected failure route={}", route, failure);
    return new ApiError(ApiErrorCode.INTERNAL, "internal error", null);
  }
}
