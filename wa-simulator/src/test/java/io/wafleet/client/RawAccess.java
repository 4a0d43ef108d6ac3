package io.wafleet.client;

import io.wafleet.client.binary.Node;
import java.util.function.Consumer;

/**
 * Test-only access to wa-client internals for raw-peer tests in other packages: write a crafted
 * node on a client's connection, and watch every node a client receives. Stateless.
 */
public final class RawAccess {

  private RawAccess() {
  }

  /** Writes {@code node} as is on the client's open connection; false if there is none. */
  public static boolean sendRaw(WaClient client, Node node) {
    return client.sendRaw(node);
  }

  /** Adds an observer that sees every inbound node (on the inbound thread; keep it quick). */
  public static WaClient.Builder inboundObserver(WaClient.Builder builder, Consumer<Node> observer) {
    return builder.inboundObserver(observer);
  }
}
