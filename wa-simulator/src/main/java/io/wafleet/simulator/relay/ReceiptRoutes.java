package io.wafleet.simulator.relay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The little per-message state the server keeps (§9.5): message id → who sent it, in which chat and
 * in which identity form, so that receipts find their way back. Bounded: the oldest ids are forgotten
 * beyond {@code capacity}. Thread-safe (synchronized).
 */
final class ReceiptRoutes {

  /** Where receipts for one message id go. */
  record Route(DeviceAddress sender, String chat, boolean lidForm) {}

  private final Map<String, Route> routes;

  ReceiptRoutes(int capacity) {
    this.routes = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Route> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized void remember(String id, Route route) {
    routes.put(id, route);
  }

  synchronized Optional<Route> find(String id) {
    return Optional.ofNullable(routes.get(id));
  }
}
