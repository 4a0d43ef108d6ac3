package io.wafleet.connector.auth;

import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.common.model.Owner;
import io.wafleet.common.store.SessionStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Signal key blobs of one account in {@code wa_sessions/{accountId}/keys}, with a write-through
 * cache so a message costs no Firestore read: a key is read from Firestore at most once (its absence
 * too), and every write goes to Firestore first and into the cache only after it committed.
 *
 * <p>One-time pre-keys are never cached: an account holds ~812 of them (~165 KB), and they are
 * read only when the server asks (upload, a peer's first message), so they stay in Firestore.
 *
 * <p>Thread-safe. The cache is coherent because only the account's owner writes its keys (fenced);
 * wa-client reads and writes them from one connection's inbound thread.
 */
final class FirestoreKeyStore implements SignalKeyStore {

  /** Types read from Firestore on every load. */
  private static final Set<String> UNCACHED = Set.of(PRE_KEY);

  private final SessionStore store;
  private final String accountId;
  private final Owner owner;
  private final StoreCalls calls;
  private final Map<String, Map<String, Optional<byte[]>>> cache = new ConcurrentHashMap<>();

  FirestoreKeyStore(SessionStore store, String accountId, Owner owner, StoreCalls calls) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.accountId = Objects.requireNonNull(accountId, "accountId == null");
    this.owner = Objects.requireNonNull(owner, "owner == null");
    this.calls = Objects.requireNonNull(calls, "calls == null");
  }

  @Override
  public Map<String, byte[]> load(String type, Collection<String> ids) {
    Objects.requireNonNull(type, "type == null");
    if (UNCACHED.contains(type)) {
      return calls.run(() -> store.loadKeys(accountId, type, List.copyOf(ids)));
    }
    Map<String, Optional<byte[]>> known = cache.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
    List<String> misses = new ArrayList<>();
    for (String id : ids) {
      if (!known.containsKey(id)) {
        misses.add(id);
      }
    }
    if (!misses.isEmpty()) {
      Map<String, byte[]> read = calls.run(() -> store.loadKeys(accountId, type, misses));
      for (String id : misses) {
        known.putIfAbsent(id, Optional.ofNullable(read.get(id)));
      }
    }
    Map<String, byte[]> out = new HashMap<>();
    for (String id : ids) {
      known.getOrDefault(id, Optional.empty()).ifPresent(value -> out.put(id, value.clone()));
    }
    return out;
  }

  @Override
  public void store(String type, Map<String, byte[]> values) {
    Objects.requireNonNull(type, "type == null");
    for (Map<String, byte[]> chunk : chunks(values)) {
      calls.run(() -> {
        store.storeKeys(accountId, owner, type, chunk);
        return null;
      });
      if (!UNCACHED.contains(type)) {
        Map<String, Optional<byte[]>> known = cache.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        chunk.forEach((id, value) -> known.put(id, Optional.ofNullable(value == null ? null : value.clone())));
      }
    }
  }

  /** How many ids of {@code type} the cache holds (present or known absent); for tests and status. */
  int cachedCount(String type) {
    Map<String, Optional<byte[]>> known = cache.get(type);
    return known == null ? 0 : known.size();
  }

  /** Firestore takes at most {@link SessionStore#MAX_KEYS_PER_WRITE} keys per fenced write. */
  private static List<Map<String, byte[]>> chunks(Map<String, byte[]> values) {
    List<Map<String, byte[]>> out = new ArrayList<>();
    Map<String, byte[]> current = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      current.put(e.getKey(), e.getValue());
      if (current.size() == SessionStore.MAX_KEYS_PER_WRITE) {
        out.add(current);
        current = new LinkedHashMap<>();
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }
}
