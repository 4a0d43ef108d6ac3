package io.wafleet.functions.api;

import io.wafleet.functions.http.Exchange;

/** One endpoint: reads the exchange, makes its store calls, writes the answer; throws for errors. */
@FunctionalInterface
interface Handler {
  void handle(Exchange exchange, Caller caller);
}
