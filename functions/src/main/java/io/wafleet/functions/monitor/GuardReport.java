package io.wafleet.functions.monitor;

import io.wafleet.common.model.Incident;
import java.util.ArrayList;
import java.util.List;

/** What one guard run did: incidents it opened, found still open, and resolved. Immutable. */
public record GuardReport(List<Incident> opened, List<Incident> stillOpen, List<Incident> resolved) {
  public GuardReport {
    opened = List.copyOf(opened);
    stillOpen = List.copyOf(stillOpen);
    resolved = List.copyOf(resolved);
  }

  /** Opened and still open: every incident whose alert is due (the throttle decides). */
  public List<Incident> open() {
    List<Incident> all = new ArrayList<>(opened);
    all.addAll(stillOpen);
    return all;
  }
}
