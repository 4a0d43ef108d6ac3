package io.wafleet.functions.api;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.store.AccountStore;
import io.wafleet.functions.auth.ViewLinks;
import io.wafleet.functions.http.ContentSecurityPolicy;
import io.wafleet.functions.http.Exchange;
import io.wafleet.functions.render.DashboardPage;
import java.time.Clock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * GET /v1/dashboard (JSON), GET /v1/dashboard.html (the page) and POST /v1/dashboard/links (a signed
 * 5-minute link to the page, for browsers and screenshots that cannot send a header). Reads every
 * account page by page; counts come from the same read. Thread-safe.
 */
final class DashboardHandler {

  static final String PAGE_PATH = "/v1/dashboard.html";
  /** Accounts that need a person first, healthy ones last, so the top of the page is the to-do list. */
  private static final List<AccountStatus> SEVERITY = List.of(AccountStatus.LOGGED_OUT, AccountStatus.NEEDS_QR,
      AccountStatus.DISCONNECTED, AccountStatus.CONNECTING, AccountStatus.PENDING, AccountStatus.STOPPED,
      AccountStatus.CONNECTED);
  private static final java.util.Comparator<Account> ATTENTION_FIRST = java.util.Comparator
      .comparingInt((Account a) -> SEVERITY.indexOf(a.status())).thenComparing(Account::name).thenComparing(Account::id);

  private final Stores stores;
  private final ViewLinks links;
  private final Clock clock;

  DashboardHandler(Stores stores, ViewLinks links, Clock clock) {
    this.stores = Objects.requireNonNull(stores, "stores == null");
    this.links = Objects.requireNonNull(links, "links == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  void register(Router router) {
    router.add("GET", "/v1/dashboard", Access.AUTHENTICATED, this::json)
        .add("GET", PAGE_PATH, Access.VIEW_LINK, this::html)
        .add("POST", "/v1/dashboard/links", Access.AUTHENTICATED, this::link);
  }

  private void json(Exchange ex, Caller caller) {
    List<Account> accounts = all();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Account a : accounts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", a.id());
      m.put("name", a.name());
      m.put("status", a.status().name());
      m.put("desired", a.desired().name());
      m.put("lastSeen", a.lastEventAt());
      m.put("reconnectAttempts", a.reconnectAttempts());
      m.put("needsQr", a.status().needsPairing());
      m.put("phoneMasked", a.maskedPhone());
      rows.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("generatedAt", clock.instant());
    body.put("counts", counts(accounts));
    body.put("accounts", rows);
    ex.json(200, body);
  }

  private void html(Exchange ex, Caller caller) {
    List<Account> accounts = all();
    List<DashboardPage.Row> rows = accounts.stream().sorted(ATTENTION_FIRST).map(a -> new DashboardPage.Row(a.id(), a.name(),
        a.status().name(), a.desired().name(), a.maskedPhone(), a.lastEventAt(), a.reconnectAttempts(),
        a.status().needsPairing())).toList();
    String nonce = ContentSecurityPolicy.newNonce();
    // The page refreshes every 30 s, so the report's 5-minute view link is always fresh.
    String reportUrl = ReportHandler.PAGE_PATH + "?view=" + links.issue(ReportHandler.PAGE_PATH).token();
    ex.html(200, DashboardPage.render(rows, counts(accounts), clock.instant(), nonce, reportUrl), nonce);
  }

  private void link(Exchange ex, Caller caller) {
    ViewLinks.Issued issued = links.issue(PAGE_PATH);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", PAGE_PATH + "?view=" + issued.token());
    body.put("expiresAt", issued.expiresAt());
    ex.json(201, body);
  }

  private List<Account> all() {
    List<Account> out = new ArrayList<>();
    String after = null;
    while (true) {
      List<Account> page = stores.accounts().list(AccountStore.MAX_PAGE_SIZE, after);
      out.addAll(page);
      if (page.size() < AccountStore.MAX_PAGE_SIZE) {
        return out;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  private static Map<String, Long> counts(List<Account> accounts) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (AccountStatus s : AccountStatus.values()) {
      counts.put(s.name(), 0L);
    }
    accounts.forEach(a -> counts.merge(a.status().name(), 1L, Long::sum));
    return counts;
  }
}
