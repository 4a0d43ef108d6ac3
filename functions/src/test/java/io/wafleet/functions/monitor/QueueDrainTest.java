package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wafleet.common.model.OutboxItem;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the queue probe tells a tracked item that left QUEUED from one beyond the listener's window. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueDrainTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static OutboxItem item(String id, int second) {
    return OutboxItem.queued(id, "acc-1", "40700000009@s.whatsapp.net", "hi", T0.plusSeconds(second));
  }

  private static List<String> ids(List<OutboxItem> items) {
    return items.stream().map(OutboxItem::id).toList();
  }

  @Test
  void aWindowNotFull_holdsEveryQueuedItem_soAnAbsentOneLeft() {
    List<OutboxItem> tracked = List.of(item("a", 1), item("b", 2), item("c", 3));
    assertEquals(List.of("b"), ids(QueueDrain.stillQueued(tracked, List.of(item("b", 2), item("x", 9)), 5)));
    assertEquals(List.of(), ids(QueueDrain.stillQueued(tracked, List.of(), 5)));
  }

  @Test
  void aFullWindow_judgesOnlyTheItemsOlderThanItsNewest() {
    List<OutboxItem> tracked = List.of(item("a", 1), item("b", 2), item("c", 3), item("d", 8));
    // The window holds the 3 oldest QUEUED: a left; d (newer than its newest, x at 5 s) may still wait.
    List<OutboxItem> window = List.of(item("b", 2), item("c", 3), item("x", 5));
    assertEquals(List.of("b", "c", "d"), ids(QueueDrain.stillQueued(tracked, window, 3)));
    assertEquals(List.of("d"), ids(QueueDrain.stillQueued(tracked, List.of(item("x", 5), item("y", 6), item("z", 7)), 3)));
  }
}
