package io.wafleet.connector.fleet;

import static io.wafleet.common.model.AccountStatus.CONNECTED;
import static io.wafleet.common.model.AccountStatus.CONNECTING;
import static io.wafleet.common.model.AccountStatus.DISCONNECTED;
import static io.wafleet.common.model.AccountStatus.LOGGED_OUT;
import static io.wafleet.common.model.AccountStatus.NEEDS_QR;
import static io.wafleet.common.model.AccountStatus.PENDING;
import static io.wafleet.common.model.AccountStatus.STOPPED;

import io.wafleet.common.model.AccountStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of the account status moves an {@link AccountSupervisor} may make (docs/architecture.md,
 * "Account supervisor"). Any status may move to STOPPED (operator stop) and to CONNECTING (a new
 * supervisor takes over, whatever the previous one left). A self-move rewrites fields of the same
 * status: a rotated QR, a further failed attempt. Immutable.
 */
public final class StatusTransitions {

  private static final Map<AccountStatus, Set<AccountStatus>> NEXT = new EnumMap<>(AccountStatus.class);

  static {
    // start of a supervisor; a 515 restart; a scanned QR (pair-success) on the way to login
    allow(PENDING, CONNECTING);
    allow(CONNECTING, CONNECTING, NEEDS_QR, CONNECTED, DISCONNECTED, LOGGED_OUT);
    // NEEDS_QR → NEEDS_QR: a rotated QR, or the refs ran out (QR cleared, the account waits)
    allow(NEEDS_QR, NEEDS_QR, CONNECTING, DISCONNECTED, LOGGED_OUT);
    allow(CONNECTED, CONNECTING, DISCONNECTED, LOGGED_OUT);
    allow(DISCONNECTED, DISCONNECTED, CONNECTING, LOGGED_OUT);
    // LOGGED_OUT keeps its status while the fresh registration shows QRs, until pair-success
    allow(LOGGED_OUT, LOGGED_OUT, CONNECTING, DISCONNECTED);
    allow(STOPPED, CONNECTING);
    for (AccountStatus from : AccountStatus.values()) {
      allow(from, STOPPED, CONNECTING);
    }
  }

  private StatusTransitions() {}

  public static boolean allowed(AccountStatus from, AccountStatus to) {
    return NEXT.getOrDefault(from, Set.of()).contains(to);
  }

  /** @throws IllegalStateException if the move is not in the table (a bug, never input) */
  public static void require(AccountStatus from, AccountStatus to) {
    if (!allowed(from, to)) {
      throw new IllegalStateException("illegal account status move " + from + " -> " + to);
    }
  }

  private static void allow(AccountStatus from, AccountStatus... to) {
    NEXT.computeIfAbsent(from, f -> EnumSet.noneOf(AccountStatus.class)).addAll(Set.of(to));
  }
}
