package io.wafleet.common.store;

import io.wafleet.common.model.OutboxItem;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one snapshot of {@link OutboxStore#watchRouted} changed: for each account whose QUEUED items
 * routed to the instance changed, its complete current list (empty when none is left). The first
 * snapshot of a listener is {@code complete}: it names every account that has items, and an account
 * it does not name has none.
 */
public record RoutedQueue(boolean complete, Map<String, List<OutboxItem>> byAccount) {

  public RoutedQueue {
    byAccount = Map.copyOf(Objects.requireNonNull(byAccount, "byAccount == null"));
  }
}
