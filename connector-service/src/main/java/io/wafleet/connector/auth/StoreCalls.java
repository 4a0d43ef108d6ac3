package io.wafleet.connector.auth;

import io.wafleet.common.crypto.BlobDecryptionException;
import io.wafleet.common.store.FencingException;
import io.wafleet.common.store.StoreException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one {@code SessionStore} call of an account and turns its failures into the connector's
 * typed session errors: a refused (stale-generation) write tells the fence listener, then throws
 * {@link SessionFencedException}; an unreachable store or an undecryptable blob throws
 * {@link SessionUnavailableException}. Thread-safe.
 */
final class StoreCalls {

  private final String accountId;
  private final Consumer<FencingException> onFenced;

  StoreCalls(String accountId, Consumer<FencingException> onFenced) {
    this.accountId = Objects.requireNonNull(accountId, "accountId == null");
    this.onFenced = Objects.requireNonNull(onFenced, "onFenced == null");
  }

  <T> T run(Supplier<T> call) {
    try {
      return call.get();
    } catch (FencingException e) {
      onFenced.accept(e);
      throw new SessionFencedException(e);
    } catch (BlobDecryptionException e) {
      throw new SessionUnavailableException(accountId, SessionUnavailableException.Kind.UNDECRYPTABLE,
          e.getMessage(), e);
    } catch (StoreException e) {
      throw new SessionUnavailableException(accountId, SessionUnavailableException.Kind.STORE_UNREACHABLE,
          e.getMessage(), e);
    }
  }
}
