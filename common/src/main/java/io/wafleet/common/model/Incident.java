package io.wafleet.common.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * wa_metrics/longrun/incidents/{incidentId}. While open, the id is {@link #activeId(String, String)},
 * so a monitor that fires again finds and keeps the same incident instead of opening a duplicate.
 * Resolving moves it to a historical id that carries its opening time. {@code lastCheckedAt} is the
 * last time a monitor found the condition still true (null for incidents nobody re-checks).
 */
public record Incident(
    String id,
    String type,
    String subject,
    IncidentState state,
    String detail,
    Instant openedAt,
    Instant resolvedAt,
    String resolution,
    Instant lastCheckedAt) {

  public Incident {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(subject, "subject == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(openedAt, "openedAt == null");
    if (state == IncidentState.RESOLVED && resolvedAt == null) {
      throw new IllegalArgumentException("resolved incident without resolvedAt");
    }
  }

  /** The same incident, last seen still true by a monitor at {@code at}. */
  public Incident checkedAt(Instant at) {
    return new Incident(id, type, subject, state, detail, openedAt, resolvedAt, resolution, at);
  }

  /** The deterministic id of the open incident of this type for this subject. */
  public static String activeId(String type, String subject) {
    return type + "__" + subject;
  }

  /** Time to recover, for MTTR; empty while open. */
  public java.util.Optional<Duration> timeToRecover() {
    return resolvedAt == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(Duration.between(openedAt, resolvedAt));
  }
}
