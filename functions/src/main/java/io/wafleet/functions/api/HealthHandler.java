package io.wafleet.functions.api;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Lease;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.DocumentIds;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.Exchange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * GET /v1/health and GET /v1/status-now. Health is "ok" when Firestore answers and, if any account
 * needs a socket (any not STOPPED), at least one connector holds a live lease and beat within the
 * stale limit; otherwise "degraded" with 503. Anonymous callers see only the status, and that
 * answer is cached for {@link #ANONYMOUS_CACHE} (by the injected clock), so anonymous polling costs
 * at most one round of reads per period however often it comes. Thread-safe (the cache is an
 * atomic reference; concurrent misses may each compute once).
 */
final class HealthHandler {

  private final Stores stores;
  private final StoreProbe probe;
  private final FunctionsConfig config;
  private final Clock clock;
  private final Instant bootedAt;
  private final AtomicReference<CachedStatus> anonymous = new AtomicReference<>();

  static final Duration ANONYMOUS_CACHE = Duration.ofSeconds(10);

  /** The anonymous answer and when it was computed. */
  private record CachedStatus(boolean ok, Instant at) {}

  HealthHandler(Stores stores, StoreProbe probe, FunctionsConfig config, Clock clock, Instant bootedAt) {
    this.stores = Objects.requireNonNull(stores, "stores == null");
    this.probe = Objects.requireNonNull(probe, "probe == null");
    this.config = Objects.requireNonNull(config, "config == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.bootedAt = Objects.requireNonNull(bootedAt, "bootedAt == null");
  }

  void register(Router router) {
    router.add("GET", "/v1/health", Access.OPTIONAL, this::health)
        .add("GET", "/v1/status-now", Access.AUTHENTICATED, this::statusNow);
  }

  private void health(Exchange ex, Caller caller) {
    if (!caller.authenticated()) {
      Instant now = clock.instant();
      CachedStatus cached = anonymous.get();
      if (cached == null || !now.isBefore(cached.at().plus(ANONYMOUS_CACHE)) || now.isBefore(cached.at())) {
        cached = new CachedStatus(computeOk(), now);
        anonymous.set(cached);
      }
      ex.json(cached.ok() ? 200 : 503, Map.of("status", cached.ok() ? "ok" : "degraded"));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    boolean firestore = probe.reachable();
    List<Map<String, Object>> connectors = new ArrayList<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    boolean ok = firestore;
    if (firestore) {
      int live = 0;
      for (Lease lease : stores.leases().list()) {
        boolean isLive = live(lease);
        live += isLive ? 1 : 0;
        connectors.add(Views.lease(lease, isLive));
      }
      stores.accounts().countByStatus().forEach((status, n) -> counts.put(status.name(), n));
      long needSocket = counts.entrySet().stream()
          .filter(e -> !e.getKey().equals(AccountStatus.STOPPED.name())).mapToLong(Map.Entry::getValue).sum();
      ok = needSocket == 0 || live > 0;
    }
    body.put("status", ok ? "ok" : "degraded");
    body.put("version", config.version());
    body.put("commit", config.commit());
    body.put("bootedAt", bootedAt);
    body.put("now", clock.instant());
    body.put("firestore", Map.of("reachable", firestore));
    body.put("connectors", connectors);
    body.put("accountsByStatus", counts);
    ex.json(ok ? 200 : 503, body);
  }

  /** The status alone, for anonymous callers. */
  private boolean computeOk() {
    if (!probe.reachable()) {
      return false;
    }
    boolean anyLive = stores.leases().list().stream().anyMatch(this::live);
    return anyLive || stores.accounts().countByStatus().entrySet().stream()
        .noneMatch(e -> e.getKey() != AccountStatus.STOPPED && e.getValue() > 0);
  }

  /** A connector counts as live while its lease runs and its last beat is within the stale limit. */
  private boolean live(Lease lease) {
    Instant now = clock.instant();
    return lease.isLiveAt(now, Stores.LEASE_SKEW) && lease.lastBeatAt().plus(config.connectorStale()).isAfter(now);
  }

  /** The seed system's status-now fields, per account (it had one account; the fleet has many). */
  private void statusNow(Exchange ex, Caller caller) {
    List<Account> accounts = ex.query("accountId")
        .map(id -> List.of(stores.accounts().load(DocumentIds.require(id, "accountId"))
            .orElseThrow(() -> ApiException.notFound("account"))))
        .orElseGet(() -> stores.accounts().list(AccountStore.MAX_PAGE_SIZE, null));
    Map<String, Lease> leases = new LinkedHashMap<>();
    stores.leases().list().forEach(l -> leases.put(l.instanceId(), l));
    List<String> ids = accounts.stream().map(Account::id).toList();
    Map<String, Boolean> creds = stores.sessions().containsCreds(ids);
    Map<String, Long> keys = stores.sessions().countKeys(ids);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Account a : accounts) {
      items.add(statusOf(a, leases.get(a.owner() == null ? "" : a.owner().instanceId()), creds.get(a.id()),
          keys.get(a.id())));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mode", "fleet");
    body.put("generatedAt", clock.instant());
    body.put("accounts", items);
    ex.json(200, body);
  }

  private Map<String, Object> statusOf(Account a, Lease lease, boolean credsPresent, long keyCount) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accountId", a.id());
    m.put("mode", a.desired().name());
    m.put("status", a.status().name());
    m.put("connectedAt", a.connectedAt());
    m.put("lastDisconnectAt", a.lastDisconnectAt());
    m.put("lastDisconnectReason", a.lastDisconnectReason());
    m.put("lastError", a.lastError());
    m.put("retryCount", a.reconnectAttempts());
    m.put("nextRetryAt", a.nextRetryAt());
    m.put("authStore", "firestore");
    m.put("authCredsPresent", credsPresent);
    m.put("authKeyCount", keyCount);
    m.put("lockHolder", a.owner() == null ? null : a.owner().instanceId());
    m.put("lockGeneration", a.owner() == null ? null : a.owner().generation());
    m.put("leaseUntil", lease == null ? null : lease.leaseUntil());
    m.put("leaseLive", lease != null && live(lease));
    return m;
  }
}
