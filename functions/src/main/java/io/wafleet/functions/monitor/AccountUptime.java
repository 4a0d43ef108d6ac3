package io.wafleet.functions.monitor;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.store.AccountStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One account's uptime over a window, from the heartbeats' per-account record
 * ({@link Heartbeat#accountsNotConnected()}): of the minutes with a heartbeat in which the account
 * existed and was desired ACTIVE ({@code minutesObserved}), those in which it was CONNECTED. Minutes
 * without a heartbeat are not counted either way (coverage reports them). Immutable.
 *
 * @param label the account's name and masked phone, or its id alone when it no longer exists
 */
public record AccountUptime(String accountId, String label, long minutesObserved, long minutesConnected) {

  public AccountUptime {
    Objects.requireNonNull(accountId, "accountId == null");
    Objects.requireNonNull(label, "label == null");
  }

  /** minutesConnected / minutesObserved in [0, 1]; null when the account was never observed. */
  public Double ratio() {
    return minutesObserved == 0 ? null : (double) minutesConnected / minutesObserved;
  }

  /** What the report needs to know of an account that exists. */
  public record Known(String label, Instant createdAt) {}

  /** Every account that exists, by id, paging through the accounts (one read per account). */
  public static Map<String, Known> known(AccountStore accounts) {
    Map<String, Known> out = new java.util.HashMap<>();
    String after = null;
    while (true) {
      List<Account> page = accounts.list(AccountStore.MAX_PAGE_SIZE, after);
      for (Account a : page) {
        out.put(a.id(), new Known(a.name() + " (" + a.maskedPhone() + ")", a.createdAt()));
      }
      if (page.size() < AccountStore.MAX_PAGE_SIZE) {
        return out;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  /**
   * Uptime of every account in {@code known} and of every account a heartbeat names, ordered by id.
   * An account is observed from the minute it was created; one that no longer exists (only named by
   * heartbeats) from the window's start.
   */
  public static List<AccountUptime> of(List<Heartbeat> heartbeats, Map<String, Known> known) {
    TreeSet<String> ids = new TreeSet<>(known.keySet());
    for (Heartbeat h : heartbeats) {
      ids.addAll(h.accountsNotConnected().keySet());
    }
    List<AccountUptime> out = new ArrayList<>();
    for (String id : ids) {
      Known k = known.get(id);
      Instant created = k == null ? Instant.MIN : k.createdAt().truncatedTo(ChronoUnit.MINUTES);
      long observed = 0;
      long connected = 0;
      for (Heartbeat h : heartbeats) {
        if (h.bucket().isBefore(created)) {
          continue;
        }
        String status = h.accountsNotConnected().get(id);
        if (Heartbeat.STOPPED.equals(status)) {
          continue;
        }
        observed++;
        if (status == null) {
          connected++;
        }
      }
      out.add(new AccountUptime(id, k == null ? id : k.label(), observed, connected));
    }
    return out;
  }
}
