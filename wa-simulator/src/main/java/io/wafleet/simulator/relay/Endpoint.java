package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;

/**
 * Where the relay hands stanzas for one online device: a logged-in connection, or a simulated
 * phone's Signal peer for device 0. Implementations must be thread-safe and must not block.
 */
public interface Endpoint {

  /**
   * Delivers a stanza. Returns false when the endpoint can no longer deliver (its socket closed),
   * in which case the relay queues the stanza for the device's next login.
   */
  boolean deliver(Node stanza);
}
