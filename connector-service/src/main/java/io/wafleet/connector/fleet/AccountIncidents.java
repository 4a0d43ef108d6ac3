package io.wafleet.connector.fleet;

import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.model.IncidentType;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.StoreException;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incidents the connector opens about one account (docs/runbook.md, "Monitors, incidents and
 * alerts"): {@code reconnect-loop}, {@code logged-out} and {@code phone-offline}, each with the
 * subject = the account id, so the open incident's id is {@code <type>__<accountId>}
 * ({@link Incident#activeId}) and opening it again keeps the same one. Each resolves itself on the
 * recovery that ends it, recording its time to recover. An incident that cannot be written is logged
 * and never stops the account's supervision. Calls Firestore: use from the account's serial executor.
 */
final class AccountIncidents {

  private static final Logger log = LoggerFactory.getLogger(AccountIncidents.class);

  private final IncidentStore store;
  private final String accountId;

  AccountIncidents(IncidentStore store, String accountId) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.accountId = Objects.requireNonNull(accountId, "accountId == null");
  }

  /** The id the open incident of {@code type} about this account has. */
  String activeId(IncidentType type) {
    return Incident.activeId(type.wireName(), accountId);
  }

  /** Opens (or keeps) the incident; true when it is open after the call. */
  boolean open(IncidentType type, String detail, Instant since) {
    try {
      IncidentStore.Opening opening = store.openOrTouch(type.wireName(), accountId, detail, since);
      if (opening.created()) {
        log.warn("incident opened type={} account={} id={} detail={}", type.wireName(), accountId,
            opening.incident().id(), detail);
      }
      return true;
    } catch (StoreException e) {
      log.warn("incident not written type={} account={} error={}", type.wireName(), accountId, e.toString());
      return false;
    }
  }

  /**
   * Resolves the open incident of {@code type}, if any; true when the call resolved one. A plain read
   * first: nearly always there is none (every account's first connect after a restore asks), and a
   * read costs the store far less than a transaction; only this account's owner opens these.
   */
  boolean resolve(IncidentType type, String resolution) {
    try {
      if (store.load(activeId(type)).filter(i -> i.state() == IncidentState.OPEN).isEmpty()) {
        return false;
      }
      return store.resolve(activeId(type), resolution).map(resolved -> {
        log.info("incident resolved type={} account={} id={} resolution={} time_to_recover_s={}", type.wireName(),
            accountId, resolved.id(), resolution, resolved.timeToRecover().map(d -> d.toSeconds()).orElse(0L));
        return true;
      }).orElse(false);
    } catch (StoreException e) {
      log.warn("incident not resolved type={} account={} error={}", type.wireName(), accountId, e.toString());
      return false;
    }
  }
}
