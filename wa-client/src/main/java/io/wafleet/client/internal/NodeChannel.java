package io.wafleet.client.internal;

import io.wafleet.client.binary.Node;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends nodes on a connection's encrypted transport: what a flow needs to talk to the server.
 * Inbound thread (where the flows run).
 */
public interface NodeChannel {

  void send(Node node);

  /** Sends an iq with a fresh id and completes with the reply, failing after {@code timeout}. */
  CompletableFuture<Node> query(Node iq, Duration timeout);
}
