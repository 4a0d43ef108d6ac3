package io.wafleet.common.store;

import com.google.api.core.ApiFuture;
import java.util.concurrent.ExecutionException;

/** Waits for a Firestore future and turns its failure into a {@link StoreException}. */
final class Futures {

  private Futures() {}

  static <T> T await(ApiFuture<T> future, String what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StoreException storeException) {
        throw storeException;
      }
      if (cause instanceof IllegalArgumentException illegalArgument) {
        throw illegalArgument;
      }
      if (cause instanceof IllegalStateException illegalState) {
        throw illegalState;
      }
      throw new StoreException(what + " failed: " + cause, cause);
    }
  }
}
