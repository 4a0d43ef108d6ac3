package io.wafleet.common.store;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import io.wafleet.common.model.Account;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one account query listener currently matches, kept across its snapshots so that only the
 * documents that changed are read into {@link Account}s. A listener on all active accounts gets a
 * snapshot for every write to any of them; mapping the whole result each time cost O(accounts) per
 * write, O(accounts²) for a restore, on the thread that drains the listen stream, and a stream
 * drained that slowly held up the emulator's commits (docs/benchmarks.md, 1,000 accounts).
 *
 * <p>A snapshot older than one already applied is ignored. A document that does not map is left
 * out and reported once per version; the rest of the snapshot is still delivered. Thread-safe: the
 * client may run two callbacks of one listener at once; nothing is called while the lock is held.
 */
final class LiveAccounts {

  private record Entry(Timestamp updateTime, Account account) {}

  private final Map<String, Entry> byId = new HashMap<>();
  private Timestamp lastReadTime;

  /**
   * Applies {@code snapshot}; returns the matching accounts in id order, or null when the snapshot
   * is older than one already applied. Documents that do not map go to {@code corrupt}.
   */
  List<Account> apply(QuerySnapshot snapshot, Consumer<CorruptDocumentException> corrupt) {
    List<CorruptDocumentException> bad = new ArrayList<>();
    List<Account> out;
    synchronized (this) {
      Timestamp readTime = snapshot.getReadTime();
      if (lastReadTime != null && readTime != null && readTime.compareTo(lastReadTime) < 0) {
        return null;
      }
      lastReadTime = readTime;
      Map<String, Entry> next = new HashMap<>(Math.max(16, snapshot.size() * 2));
      out = new ArrayList<>(snapshot.size());
      for (QueryDocumentSnapshot doc : snapshot.getDocuments()) {
        Entry known = byId.get(doc.getId());
        Entry entry = known != null && known.updateTime().equals(doc.getUpdateTime()) ? known : read(doc, bad);
        if (entry != null) {
          next.put(doc.getId(), entry);
          if (entry.account() != null) {
            out.add(entry.account());
          }
        }
      }
      byId.clear();
      byId.putAll(next);
    }
    bad.forEach(corrupt);
    out.sort(java.util.Comparator.comparing(Account::id));
    return out;
  }

  /** The document as an account; a document that does not map is remembered (as null) so it is reported once. */
  private static Entry read(QueryDocumentSnapshot doc, List<CorruptDocumentException> bad) {
    try {
      return new Entry(doc.getUpdateTime(), AccountMapper.fromSnapshot(doc));
    } catch (CorruptDocumentException e) {
      bad.add(e);
      return new Entry(doc.getUpdateTime(), null);
    }
  }
}
