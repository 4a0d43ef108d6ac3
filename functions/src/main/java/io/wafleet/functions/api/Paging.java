package io.wafleet.functions.api;

import io.wafleet.common.store.DocumentIds;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.Exchange;

/** {@code ?limit=} (1..100, default 50) and {@code ?after=} (a document id cursor). Stateless. */
final class Paging {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;

  private Paging() {}

  static int limit(Exchange exchange) {
    String raw = exchange.query("limit").orElse(null);
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // falls through to the same answer as an out-of-range number
    }
    throw ApiException.invalidField("limit", "must be an integer between 1 and " + MAX_LIMIT);
  }

  static String after(Exchange exchange) {
    return exchange.query("after").map(a -> DocumentIds.require(a, "after")).orElse(null);
  }

  /** The cursor of the next page: the last id when the page is full, else null. */
  static String next(int returned, int limit, String lastId) {
    return returned == limit ? lastId : null;
  }
}
