package io.wafleet.functions.monitor;

import io.wafleet.common.model.Incident;
import io.wafleet.common.model.IncidentType;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import io.wafleet.common.store.IncidentStore;
import io.wafleet.common.store.ProbeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Watches the probe results the probe runs stored: when the latest {@value #CONSECUTIVE_FAILURES}
 * probes of a type (within {@link #LOOKBACK}) all failed, keeps one {@code probe-failing} incident
 * for that type, opened at the first of those failures; when the latest probe of the type passed,
 * resolves it. Idempotent like every guard. Thread-safe (stateless).
 */
public final class ProbeGuard {

  public static final int CONSECUTIVE_FAILURES = 2;
  /** Probes are stored one per type per hour; three hours see the last two of each type. */
  public static final Duration LOOKBACK = Duration.ofHours(3);
  private static final String TYPE = IncidentType.PROBE_FAILING.wireName();

  private final ProbeStore probes;
  private final IncidentStore incidents;
  private final Clock clock;

  public ProbeGuard(ProbeStore probes, IncidentStore incidents, Clock clock) {
    this.probes = Objects.requireNonNull(probes, "probes == null");
    this.incidents = Objects.requireNonNull(incidents, "incidents == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  public GuardReport run() {
    Instant now = clock.instant();
    List<Probe> recent = probes.list(now.minus(LOOKBACK), now.plusSeconds(1));
    List<Incident> opened = new ArrayList<>();
    List<Incident> stillOpen = new ArrayList<>();
    List<Incident> resolved = new ArrayList<>();
    for (ProbeType type : ProbeType.values()) {
      List<Probe> ofType = recent.stream().filter(p -> p.type() == type).toList();
      if (ofType.isEmpty()) {
        continue;
      }
      Probe latest = ofType.get(ofType.size() - 1);
      if (latest.ok()) {
        incidents.resolve(Incident.activeId(TYPE, type.name()), "probe passed at " + latest.at())
            .ifPresent(resolved::add);
        continue;
      }
      int run = 0;
      for (int i = ofType.size() - 1; i >= 0 && !ofType.get(i).ok(); i--) {
        run++;
      }
      if (run >= CONSECUTIVE_FAILURES) {
        Probe first = ofType.get(ofType.size() - run);
        String detail = run + " " + type.name().toLowerCase() + " probes failed in a row, last error: "
            + (latest.error() == null ? "none given" : latest.error());
        IncidentStore.Opening o = incidents.openOrTouch(TYPE, type.name(), detail, first.at());
        (o.created() ? opened : stillOpen).add(o.incident());
      }
    }
    return new GuardReport(opened, stillOpen, resolved);
  }
}
