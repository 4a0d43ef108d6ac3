package io.wafleet.common.store;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.schema.FirestoreSchema.OutboxFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The state of one {@link OutboxStore#watchRouted} listener: the items of its last snapshot, so each
 * new snapshot is reduced to the accounts it changed and only changed documents are mapped again. A
 * snapshot older than one already applied is dropped. A document that does not map is reported once
 * and left out until it changes.
 */
final class RoutedQueueView {

  /** A document as last seen; {@code item} null when it did not map. */
  private record Entry(Timestamp updateTime, OutboxItem item, String accountId) {}

  private final Map<String, Entry> byId = new HashMap<>();
  private Timestamp lastReadTime;
  private boolean delivered;

  /**
   * Applies {@code snapshot} and hands what it changed to {@code onQueue}; a stale snapshot, or one
   * that changed nothing after the first, hands nothing. {@code onQueue} is called under this view's
   * lock (two snapshots never reach it out of order), so it must only hand the change over.
   */
  synchronized void apply(QuerySnapshot snapshot, Consumer<CorruptDocumentException> corrupt,
      Consumer<RoutedQueue> onQueue) {
    Timestamp readTime = snapshot.getReadTime();
    if (lastReadTime != null && readTime != null && readTime.compareTo(lastReadTime) < 0) {
      return;
    }
    lastReadTime = readTime;
    Set<String> changed = new HashSet<>();
    Map<String, Entry> next = new HashMap<>(Math.max(16, snapshot.size() * 2));
    for (QueryDocumentSnapshot doc : snapshot.getDocuments()) {
      Entry known = byId.remove(doc.getId());
      Entry entry;
      if (known != null && known.updateTime().equals(doc.getUpdateTime())) {
        entry = known;
      } else {
        entry = read(doc, corrupt);
        if (known != null && known.accountId() != null) {
          changed.add(known.accountId());
        }
        if (entry.accountId() != null) {
          changed.add(entry.accountId());
        }
      }
      next.put(doc.getId(), entry);
    }
    for (Entry gone : byId.values()) {
      if (gone.accountId() != null) {
        changed.add(gone.accountId());
      }
    }
    byId.clear();
    byId.putAll(next);
    boolean first = !delivered;
    delivered = true;
    if (changed.isEmpty() && !first) {
      return;
    }
    Map<String, List<OutboxItem>> lists = new HashMap<>();
    changed.forEach(account -> lists.put(account, new ArrayList<>()));
    for (Entry entry : byId.values()) {
      if (entry.item() != null && changed.contains(entry.accountId())) {
        lists.get(entry.accountId()).add(entry.item());
      }
    }
    lists.replaceAll((account, items) -> List.copyOf(items));
    onQueue.accept(new RoutedQueue(first, lists));
  }

  private static Entry read(QueryDocumentSnapshot doc, Consumer<CorruptDocumentException> corrupt) {
    try {
      OutboxItem item = OutboxStore.fromSnapshot(doc);
      return new Entry(doc.getUpdateTime(), item, item.accountId());
    } catch (CorruptDocumentException e) {
      corrupt.accept(e);
      Object account = doc.get(OutboxFields.ACCOUNT_ID);
      return new Entry(doc.getUpdateTime(), null, account instanceof String id ? id : null);
    }
  }
}
