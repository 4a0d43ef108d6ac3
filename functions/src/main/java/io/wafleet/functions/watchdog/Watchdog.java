package io.wafleet.functions.watchdog;

import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentType;
import io.wafleet.common.model.Lease;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.LockStore;
import io.wafleet.functions.monitor.ConnectorLiveness;
import io.wafleet.functions.monitor.GuardReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector watchdog. When no connector instance is alive ({@link ConnectorLiveness}: lease
 * running, beat fresh) although one has run before (a {@code connectors/} document exists), it keeps
 * one {@code connector-down} incident for subject {@value #SUBJECT}, opened at the newest last beat,
 * and restarts the connector through {@link ConnectorRestarter} at most once per
 * {@code restartCooldown} (a Firestore lock: a doubled or overlapping run restarts once). When a
 * connector is alive again, the incident resolves. Without a restarter (not configured) it only
 * keeps the incident. Thread-safe (stateless).
 */
public final class Watchdog {

  public static final String SUBJECT = "fleet";
  public static final String RESTART_LOCK = "watchdog-restart";
  public static final Duration DEFAULT_RESTART_COOLDOWN = Duration.ofMinutes(10);
  private static final String TYPE = IncidentType.CONNECTOR_DOWN.wireName();
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

  /** What one run did; {@code restart} is empty when it did not restart. */
  public record Result(GuardReport report, int connectorsAlive, Optional<String> restart) {}

  private final LeaseStore leases;
  private final IncidentStore incidents;
  private final LockStore locks;
  private final ConnectorLiveness liveness;
  private final Optional<ConnectorRestarter> restarter;
  private final Duration restartCooldown;
  private final Clock clock;

  public Watchdog(LeaseStore leases, IncidentStore incidents, LockStore locks, ConnectorLiveness liveness,
      Optional<ConnectorRestarter> restarter, Duration restartCooldown, Clock clock) {
    this.leases = Objects.requireNonNull(leases, "leases == null");
    this.incidents = Objects.requireNonNull(incidents, "incidents == null");
    this.locks = Objects.requireNonNull(locks, "locks == null");
    this.liveness = Objects.requireNonNull(liveness, "liveness == null");
    this.restarter = Objects.requireNonNull(restarter, "restarter == null");
    this.restartCooldown = Objects.requireNonNull(restartCooldown, "restartCooldown == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  public Result run() {
    Instant now = clock.instant();
    List<Lease> all = leases.list();
    int alive = (int) all.stream().filter(l -> liveness.isAlive(l, now)).count();
    List<Incident> opened = new ArrayList<>();
    List<Incident> stillOpen = new ArrayList<>();
    List<Incident> resolved = new ArrayList<>();
    if (alive > 0) {
      incidents.resolve(Incident.activeId(TYPE, SUBJECT), "connector alive again").ifPresent(resolved::add);
      return new Result(new GuardReport(opened, stillOpen, resolved), alive, Optional.empty());
    }
    if (all.isEmpty()) {
      return new Result(new GuardReport(opened, stillOpen, resolved), 0, Optional.empty());
    }
    Instant lastBeat = all.stream().map(Lease::lastBeatAt).max(Instant::compareTo).orElseThrow();
    IncidentStore.Opening o = incidents.openOrTouch(TYPE, SUBJECT,
        "no connector has beaten since " + lastBeat + " (" + all.size() + " known instance(s))", lastBeat);
    (o.created() ? opened : stillOpen).add(o.incident());
    Optional<String> restart = Optional.empty();
    String holder = "run-" + UUID.randomUUID();
    if (restarter.isPresent() && locks.tryLock(RESTART_LOCK, holder, restartCooldown)) {
      try {
        String done = restarter.get().restart("connector liveness stale since " + lastBeat);
        log.atWarn().addKeyValue("target", restarter.get().describe()).addKeyValue("result", done)
            .log("watchdog restarted the connector");
        restart = Optional.of(done);
      } catch (RuntimeException e) {
        // Give the cooldown back so the next run tries again; the incident stays open meanwhile.
        locks.unlock(RESTART_LOCK, holder);
        log.atError().addKeyValue("target", restarter.get().describe()).addKeyValue("reason", e.getMessage())
            .log("watchdog restart failed");
        restart = Optional.of("restart failed: " + e.getMessage());
      }
    }
    return new Result(new GuardReport(opened, stillOpen, resolved), 0, restart);
  }
}
